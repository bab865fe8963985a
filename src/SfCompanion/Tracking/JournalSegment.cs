using System.Collections.Concurrent;

namespace SfCompanion.Tracking;

/// <summary>
/// One file of the <see cref="ClickJournal"/>. Writers reserve their byte range with one atomic add on
/// <see cref="Reserved"/> and write it with one positioned write, so appends need no lock; the writer whose range
/// crosses the segment's capacity closes it by setting <see cref="FinalSize"/>.
/// </summary>
internal sealed class JournalSegment(int index, string path, FileStream file, bool recovered, long size) : IDisposable
{
    /// <summary>Bytes handed out to writers (may exceed the capacity: those writers moved on to the next segment).</summary>
    public long Reserved = size;

    /// <summary>End of the last record of a closed segment; -1 while writers may still add to it.</summary>
    public long FinalSize = recovered ? size : -1;

    private bool _hasHoles;

    public int Index { get; } = index;

    public string Path { get; } = path;

    /// <summary>Opened without a buffer: every write is one system call straight to the page cache.</summary>
    public FileStream File { get; } = file;

    /// <summary>Left by an earlier process: its tail may be torn and it may have holes of writes that never happened.</summary>
    public bool Recovered { get; } = recovered;

    /// <summary>Ranges whose write failed (offset → length): the reader skips them instead of waiting.</summary>
    public ConcurrentDictionary<long, int> Holes { get; } = new();

    /// <summary>Set once a write failed, so readers look holes up only then.</summary>
    public bool HasHoles => Volatile.Read(ref _hasHoles);

    public void AddHole(long offset, int length)
    {
        Holes[offset] = length;
        Volatile.Write(ref _hasHoles, true);
    }

    public bool Closed => Volatile.Read(ref FinalSize) >= 0;

    public void Dispose() => File.Dispose();
}
