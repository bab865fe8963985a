using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using SfCompanion.Consent;
using SfCompanion.Storage;

namespace SfCompanion.Tracking;

/// <summary>
/// Moves the <see cref="ClickJournal"/>'s records to the <c>clicks</c> log in large batches, fsyncs the journal every
/// <c>Tracking:JournalFsyncMilliseconds</c>, records how far it got and deletes the segments it has moved.
/// <para>
/// Each click enters the log with an id, the journal's id and the record's position (<c>{"id":"…","l":…}</c>). At start
/// the segments an earlier process left are moved too, except the clicks already in the log: the drainer records two
/// cursors on the <c>clicks</c> log, <c>journal:{id}</c> (every record before it is in the log) and, after it,
/// <c>journal:{id}:log</c> (the log's last sequence then, so later records are after it); the ids in the log after the
/// second cursor are the records moved but not yet counted by the first. So a click is never counted twice.
/// </para>
/// <para>
/// Clicks of a person erased after clicking are not moved (or removed right after the append that raced the erasure):
/// see <see cref="ErasedClickFilter"/>.
/// </para>
/// </summary>
public sealed partial class ClickJournalDrainer : BackgroundService, IHostedLifecycleService
{
    /// <summary>Records per append to the click log.</summary>
    internal const int BatchSize = 5000;

    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(20);

    /// <summary>The segment being written is closed this often, so no click stays in the journal much longer.</summary>
    private static readonly TimeSpan SealEvery = TimeSpan.FromMinutes(1);

    private readonly ClickJournal? _journal;
    private readonly ILogStore _logs;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly ILogger<ClickJournalDrainer> _logger;
    private readonly TimeSpan _fsyncInterval;
    private readonly byte[] _buffer = new byte[1 << 20];
    private readonly List<JournalRecord> _records = [];
    private readonly List<string> _payloads = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _idPrefix;
    private readonly bool _adoptSiblings;
    private long _position;
    private long _lastLogSequence;
    private long _recordedPosition = -1;
    private long _lastSeal = TimeProvider.System.GetTimestamp();
    private HashSet<long>? _alreadyInLog;
    private bool _started;
    private readonly ErasedClickFilter? _erased;

    /// <summary>The last batch appended, until the erasure check after the append has run.</summary>
    private (long First, List<string> Payloads)? _toRecheck;

    public ClickJournalDrainer(ClickRecorder recorder, ILogStore logs, ConsentStore consent, IOptions<TrackingOptions> options, ILogger<ClickJournalDrainer> logger)
        : this(recorder?.Journal, logs, TimeSpan.FromMilliseconds((options ?? throw new ArgumentNullException(nameof(options))).Value.JournalFsyncMilliseconds), logger, new ErasedClickFilter(consent))
    {
        _adoptSiblings = options.Value.JournalAdoptSiblings;
    }

    internal ClickJournalDrainer(ClickJournal? journal, ILogStore logs, TimeSpan fsyncInterval, ILogger<ClickJournalDrainer> logger, ErasedClickFilter? erased = null)
    {
        _journal = journal;
        _logs = logs;
        _logger = logger;
        _fsyncInterval = fsyncInterval;
        _erased = erased;
        _idPrefix = _journal is null ? "" : "{\"id\":\"" + _journal.Id + ".";
    }

    /// <summary>Clicks moved to the click log by this process.</summary>
    public long Moved { get; private set; }

    /// <summary>Clicks of an earlier process's segments found already in the click log at start, and not moved again.</summary>
    public long SkippedAsAlreadyInLog { get; private set; }

    /// <summary>Clicks of people erased (or expired) after clicking, kept out of the click log or removed from it at once.</summary>
    public long DroppedAsErased { get; private set; }

    /// <summary>Cursor names on the <c>clicks</c> log for <paramref name="journalId"/>.</summary>
    internal static (string Position, string LogSequence) CursorNames(string journalId) => ($"journal:{journalId}", $"journal:{journalId}:log");

    /// <summary>The journal id when <paramref name="cursor"/> is a journal's log-sequence cursor, else null.</summary>
    internal static string? JournalOfLogCursor(string cursor) =>
        cursor.StartsWith("journal:", StringComparison.Ordinal) && cursor.EndsWith(":log", StringComparison.Ordinal) && cursor.Length > "journal::log".Length
            ? cursor["journal:".Length..^":log".Length]
            : null;

    /// <summary>Moves everything written so far to the click log, fsyncs and deletes the moved segments (tests, shutdown).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        if (_journal is null)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureStartedAsync(cancellationToken);
            while (await MoveBatchAsync(cancellationToken) > 0)
            {
            }

            await CheckpointAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_journal is null)
        {
            return;
        }

        await Task.Yield();
        var lastCheckpoint = _time.GetTimestamp();
        var lastAdoption = long.MinValue;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var moved = 0;
            try
            {
                await _gate.WaitAsync(stoppingToken);
                try
                {
                    await EnsureStartedAsync(stoppingToken);
                    moved = await MoveBatchAsync(stoppingToken);
                    if (_time.GetElapsedTime(lastCheckpoint) >= _fsyncInterval)
                    {
                        await CheckpointAsync(stoppingToken);
                        lastCheckpoint = _time.GetTimestamp();
                    }
                }
                finally
                {
                    _gate.Release();
                }

                if (_adoptSiblings && (lastAdoption == long.MinValue || _time.GetElapsedTime(lastAdoption) >= TimeSpan.FromMinutes(1)))
                {
                    lastAdoption = _time.GetTimestamp();
                    await AdoptSiblingsAsync(TimeSpan.FromMinutes(10), stoppingToken);
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The clicks stay in the journal and are moved when the store answers again.
                LogDrainFailed(_logger, ex);
                failures = Math.Min(failures + 1, 8);
            }

            if (moved < BatchSize)
            {
                try
                {
                    await Task.Delay(failures == 0 ? Idle : TimeSpan.FromMilliseconds(100 << failures), _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// After every hosted service stopped, the web server included, so no click is answered any more: moves what is
    /// left. What the shutdown timeout does not leave time for stays in the journal for the next start.
    /// </summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_journal is null)
        {
            return;
        }

        try
        {
            await DrainAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Out of time: the rest is moved at the next start.
        }
        catch (Exception ex)
        {
            LogDrainFailed(_logger, ex);
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Moves the clicks of the journals beside this one that no process holds and that were not written for
    /// <paramref name="quietFor"/> (replicas that are gone), then deletes them. Returns how many were adopted.
    /// </summary>
    internal async Task<int> AdoptSiblingsAsync(TimeSpan quietFor, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(_journal!.Directory);
        if (parent is null)
        {
            return 0;
        }

        var adopted = 0;
        foreach (var directory in Directory.EnumerateDirectories(parent))
        {
            if (string.Equals(Path.GetFullPath(directory), _journal.Directory, StringComparison.Ordinal) || !ClickJournal.IsJournal(directory)
                || Directory.EnumerateFiles(directory).Any(f => File.GetLastWriteTimeUtc(f) > DateTime.UtcNow - quietFor))
            {
                continue;
            }

            ClickJournal orphan;
            try
            {
                orphan = new ClickJournal(directory);
            }
            catch (IOException)
            {
                continue; // held by a live process
            }

            using (orphan)
            {
                using var drainer = new ClickJournalDrainer(orphan, _logs, _fsyncInterval, _logger, _erased?.ForAnotherJournal());
                await drainer.DrainAsync(cancellationToken);
                LogAdopted(_logger, drainer.Moved, directory);
                foreach (var file in Directory.EnumerateFiles(directory).Where(f => !f.EndsWith("journal.lock", StringComparison.Ordinal)))
                {
                    File.Delete(file);
                }
            }

            Directory.Delete(directory, recursive: true);
            var (positionCursor, logCursor) = CursorNames(orphan.Id);
            await _logs.DeleteCursorsAsync(ClickEvent.Log, [positionCursor, logCursor], cancellationToken);
            adopted++;
        }

        return adopted;
    }

    /// <summary>At the first pass: where to start, and which of an earlier process's records are already in the log.</summary>
    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        var journal = _journal!;
        _lastLogSequence = await _logs.GetLastSequenceAsync(ClickEvent.Log, cancellationToken);
        _position = journal.FirstPosition;
        if (journal.RecoveredCount > 0)
        {
            var (positionCursor, logCursor) = CursorNames(journal.Id);
            var drained = await _logs.GetCursorAsync(ClickEvent.Log, positionCursor, cancellationToken);
            var afterSequence = await _logs.GetCursorAsync(ClickEvent.Log, logCursor, cancellationToken);
            _position = Math.Max(_position, drained);
            var inLog = new HashSet<long>();
            await foreach (var entry in _logs.ReadAllAsync(ClickEvent.Log, afterSequence, BatchSize, cancellationToken))
            {
                if (PositionOf(entry.Payload) is { } position && position >= _position)
                {
                    inLog.Add(position);
                }
            }

            _alreadyInLog = inLog;
            LogReplaying(_logger, journal.RecoveredCount, journal.Directory, inLog.Count);
        }

        _started = true;
    }

    /// <summary>Moves up to <see cref="BatchSize"/> records; returns how many were read from the journal (moved or found already in the log).</summary>
    private async Task<int> MoveBatchAsync(CancellationToken cancellationToken)
    {
        var journal = _journal!;
        await RecheckAppendedAsync(cancellationToken);
        _records.Clear();
        _payloads.Clear();
        var position = _position;
        var skippedBefore = SkippedAsAlreadyInLog;
        var read = 0;
        while (_payloads.Count < BatchSize)
        {
            var count = _records.Count;
            var next = journal.Read(position, _buffer, _records);
            for (var i = count; i < _records.Count; i++)
            {
                read++;
                var record = _records[i];
                if (_alreadyInLog is { } skip && skip.Remove(record.Position))
                {
                    SkippedAsAlreadyInLog++;
                    continue;
                }

                _payloads.Add(WithId(journal, record));
            }

            if (next == position)
            {
                break;
            }

            position = next;
            // The buffer is reused by the next read: payloads were copied to strings above.
            _records.Clear();
        }

        if (_payloads.Count > 0 && _erased is not null)
        {
            // Replayed clicks are always checked: an erasure may have removed them from the log before the crash.
            var mark = await _erased.ReadMarkAsync(cancellationToken);
            if (_erased.HasMoved(mark) || _alreadyInLog is not null)
            {
                var erased = await _erased.FindErasedAsync(_payloads, cancellationToken);
                for (var i = erased.Count - 1; i >= 0; i--)
                {
                    _payloads.RemoveAt(erased[i]);
                }

                DroppedAsErased += erased.Count;
            }

            _erased.Seen(mark);
        }

        if (_payloads.Count > 0)
        {
            var first = await _logs.AppendAsync(ClickEvent.Log, _payloads, CancellationToken.None);
            _lastLogSequence = first + _payloads.Count - 1;
            Moved += _payloads.Count;
            if (_erased is not null)
            {
                _toRecheck = (first, [.. _payloads]);
            }
        }

        _position = position;
        if (_alreadyInLog is not null && _position >= journal.SessionStart)
        {
            _alreadyInLog = null;
        }

        await RecheckAppendedAsync(CancellationToken.None);
        return read;
    }

    /// <summary>
    /// After an append: when someone was erased between the check before it and now, the erasure may have looked at the
    /// log before these clicks were in it, so they are checked again and the erased person's removed. Run again before
    /// the next batch if it failed.
    /// </summary>
    private async Task RecheckAppendedAsync(CancellationToken cancellationToken)
    {
        if (_toRecheck is not { } appended || _erased is null)
        {
            return;
        }

        var mark = await _erased.ReadMarkAsync(cancellationToken);
        if (_erased.HasMoved(mark))
        {
            var erased = await _erased.FindErasedAsync(appended.Payloads, cancellationToken);
            if (erased.Count > 0)
            {
                await _logs.DeleteAsync(ClickEvent.Log, erased.ConvertAll(i => appended.First + i), cancellationToken);
                Moved -= erased.Count;
                DroppedAsErased += erased.Count;
            }

            _erased.Seen(mark);
        }

        _toRecheck = null;
    }

    /// <summary>fsync, then the two cursors (position first), then the segments wholly in the log are deleted.</summary>
    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        var journal = _journal!;
        journal.Flush();
        if (_recordedPosition != _position)
        {
            var (positionCursor, logCursor) = CursorNames(journal.Id);
            await _logs.SetCursorAsync(ClickEvent.Log, positionCursor, _position, cancellationToken);
            await _logs.SetCursorAsync(ClickEvent.Log, logCursor, _lastLogSequence, cancellationToken);
            _recordedPosition = _position;
        }

        if (_time.GetElapsedTime(_lastSeal) >= SealEvery)
        {
            // The next checkpoints delete it once its clicks are in the log.
            journal.SealCurrent();
            _lastSeal = _time.GetTimestamp();
        }

        journal.DeleteBefore(_position);
    }

    private static string WithId(ClickJournal journal, JournalRecord record)
    {
        var json = record.Payload.Span;
        // {"l":…} becomes {"id":"<journal>.<position>","l":…}
        return string.Concat("{\"id\":\"", journal.ClickId(record.Position), "\",", Encoding.UTF8.GetString(json[1..]));
    }

    private long? PositionOf(string payload)
    {
        if (!payload.StartsWith(_idPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = payload.IndexOf('"', _idPrefix.Length);
        return end > 0 && long.TryParse(payload.AsSpan(_idPrefix.Length, end - _idPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? position
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clicks could not be moved from the journal to the click log; they stay in the journal and are retried")]
    private static partial void LogDrainFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Clicks} click(s) of the journal in {Directory}, which no process held, to the click log, and removed it")]
    private static partial void LogAdopted(ILogger logger, long clicks, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moving the clicks of {Segments} journal segment(s) left in {Directory} to the click log ({AlreadyInLog} already there)")]
    private static partial void LogReplaying(ILogger logger, int segments, string directory, int alreadyInLog);
}
