using System.Threading.Channels;

namespace SfCompanion.Storage;

/// <summary>
/// Group commit in front of <see cref="ILogStore"/>: concurrent callers each append one entry and wait; a single
/// loop writes whatever has queued up as one durable batch per log and then releases every caller of that batch.
/// A caller's task completes only once its entry is durable, so a response sent after it never loses the entry.
/// </summary>
public sealed class GroupCommitLog : IAsyncDisposable
{
    private readonly ILogStore _store;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _loop;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GroupCommitLog(ILogStore store, int maxBatch = 1000)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _store = store;
        _maxBatch = maxBatch;
        // A thread of its own, not the thread pool: under load the pool's queue is full of requests, and a batch
        // waiting its turn there would hold every one of its callers.
        _loop = new Thread(Run) { IsBackground = true, Name = "sfc-group-commit" };
        _loop.Start();
    }

    /// <summary>Number of batches written so far (one durable write each).</summary>
    public long BatchesWritten { get; private set; }

    /// <summary>Appends one entry and completes with its sequence once it is durable.</summary>
    public Task<long> AppendAsync(string log, string payload, CancellationToken cancellationToken = default)
    {
        // Continuations run inline where the batch is released (see Release), not one thread-pool item each.
        var pending = new Pending(log, payload, new TaskCompletionSource<long>());
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommitLog), "The log is shutting down; the entry was not accepted.");
        }

        return cancellationToken.CanBeCanceled ? pending.Completion.Task.WaitAsync(cancellationToken) : pending.Completion.Task;
    }

    private void Run()
    {
        try
        {
            var batch = new List<Pending>(_maxBatch);
            var reader = _queue.Reader;
            while (WaitToRead(reader))
            {
                while (batch.Count < _maxBatch && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                foreach (var group in batch.GroupBy(p => p.Log, StringComparer.Ordinal))
                {
                    var items = group.ToList();
                    try
                    {
                        // Not cancellable: once taken from the queue an entry is either written or its caller gets the error.
                        var first = _store.AppendAsync(group.Key, items.ConvertAll(p => p.Payload), CancellationToken.None).GetAwaiter().GetResult();
                        BatchesWritten++;
                        Release(items, first, null);
                    }
                    catch (Exception ex)
                    {
                        Release(items, 0, ex);
                    }
                }

                batch.Clear();
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// Completes a batch's callers from the thread pool, in one work item per core: each caller's continuation (its
    /// response) runs inline there. Completing them one by one from this thread would queue one work item per caller
    /// and leave this thread writing the next batch later.
    /// </summary>
    private static void Release(List<Pending> items, long first, Exception? error)
    {
        var chunks = Math.Min(Environment.ProcessorCount, items.Count);
        var size = (items.Count + chunks - 1) / chunks;
        for (var start = 0; start < items.Count; start += size)
        {
            ThreadPool.UnsafeQueueUserWorkItem(new Releaser(items.GetRange(start, Math.Min(size, items.Count - start)), first + start, error), preferLocal: false);
        }
    }

    private sealed class Releaser(List<Pending> items, long first, Exception? error) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (error is null)
                {
                    items[i].Completion.TrySetResult(first + i);
                }
                else
                {
                    items[i].Completion.TrySetException(error);
                }
            }
        }
    }

    private static bool WaitToRead(ChannelReader<Pending> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Stops accepting entries and writes everything already queued (graceful shutdown drains, never drops).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task;
    }

    private sealed record Pending(string Log, string Payload, TaskCompletionSource<long> Completion);
}
