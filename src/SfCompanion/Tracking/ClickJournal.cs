using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace SfCompanion.Tracking;

/// <summary>
/// A local append-only journal of clicks: each <see cref="Append"/> is one positioned <c>write</c> of one framed record
/// to an unbuffered file, so once it returns the record is in the page cache and survives the process being killed;
/// <see cref="Flush"/> (every <c>Tracking:JournalFsyncMilliseconds</c>) makes it survive a power loss. A reader
/// (<see cref="ClickJournalDrainer"/>) moves the records to the click log with <see cref="Read"/> and removes the
/// segments it has moved with <see cref="DeleteBefore"/>.
/// <para>
/// Files: <c>journal.id</c> (this journal's id, part of every click id), <c>journal.lock</c> (held while open, so two
/// processes never share a journal) and segments <c>000000000001.seg</c>, … A record is <c>magic</c>, payload length
/// and CRC-32 of the payload (4 bytes each, little-endian), then the payload. A position is the segment number times
/// 2^40 plus the offset in the segment. A new process never appends to an earlier process's segment: it starts the
/// next one, and reads the earlier ones skipping what does not check out (a torn last record, a range reserved by a
/// write the crash prevented).
/// </para>
/// </summary>
public sealed class ClickJournal : IDisposable
{
    internal const int HeaderSize = 12;

    /// <summary>Largest payload accepted (a click is a few hundred bytes; its user agent is cut at 512 characters).</summary>
    public const int MaxPayload = 16 * 1024;

    public const long DefaultSegmentBytes = 16L * 1024 * 1024;

    private const uint Magic = 0x4A434653; // "SFCJ"
    private const int OffsetBits = 40;
    private const long OffsetMask = (1L << OffsetBits) - 1;
    private const string SegmentSuffix = ".seg";

    [ThreadStatic]
    private static byte[]? t_frame;

    private readonly long _segmentBytes;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    private readonly List<JournalSegment> _segments = [];
    private JournalSegment _current;
    private bool _disposed;

    /// <summary>Opens (or creates) the journal in <paramref name="directory"/>; fails when another process holds it.</summary>
    /// <param name="lockWait">How long to wait for another process to let go of the journal (one restarting, or moving it).</param>
    public ClickJournal(string directory, long segmentBytes = DefaultSegmentBytes, TimeSpan lockWait = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentBytes, 4L * (MaxPayload + HeaderSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segmentBytes, OffsetMask);
        Directory = Path.GetFullPath(directory);
        _segmentBytes = segmentBytes;
        System.IO.Directory.CreateDirectory(Directory);
        _lock = TakeLock(Directory, lockWait);

        Id = ReadOrCreateId();
        var last = 0;
        foreach (var (index, path) in ExistingSegments())
        {
            var file = Open(path, FileMode.Open);
            _segments.Add(new JournalSegment(index, path, file, recovered: true, file.Length));
            last = index;
        }

        RecoveredCount = _segments.Count;
        _current = NewSegment(last + 1);
        _segments.Add(_current);
    }

    /// <summary>The folder holding the segments.</summary>
    public string Directory { get; }

    /// <summary>This journal's id: kept across restarts, different for every journal directory.</summary>
    public string Id { get; }

    /// <summary>Segments left by an earlier process when this one opened the journal.</summary>
    public int RecoveredCount { get; }

    /// <summary>Position of the first record still in the journal (the start of the oldest segment).</summary>
    public long FirstPosition
    {
        get
        {
            lock (_gate)
            {
                return Start(_segments[0].Index);
            }
        }
    }

    /// <summary>Position where this process's first record went (start of the segment opened by this process).</summary>
    public long SessionStart { get; private set; }

    /// <summary>Number of segment files (recovered, closed and the current one).</summary>
    public int SegmentCount
    {
        get
        {
            lock (_gate)
            {
                return _segments.Count;
            }
        }
    }

    /// <summary>Appends one record with one <c>write</c>; thread-safe, no lock. Throws when the write fails.</summary>
    public void Append(ReadOnlySpan<byte> payload)
    {
        if (payload.Length is 0 or > MaxPayload)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), payload.Length, $"A journal record holds 1 to {MaxPayload} bytes.");
        }

        var length = HeaderSize + payload.Length;
        var frame = t_frame is { } f && f.Length >= length ? f : t_frame = new byte[Math.Max(length, 2048)];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), Crc32.HashToUInt32(payload));
        payload.CopyTo(frame.AsSpan(HeaderSize));
        while (true)
        {
            var segment = Volatile.Read(ref _current);
            var end = Interlocked.Add(ref segment.Reserved, length);
            var start = end - length;
            if (end <= _segmentBytes)
            {
                try
                {
                    RandomAccess.Write(segment.File.SafeFileHandle, frame.AsSpan(0, length), start);
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
                {
                    segment.AddHole(start, length);
                    throw;
                }

                return;
            }

            if (start <= _segmentBytes)
            {
                // The one writer whose range crosses the capacity: the segment ends where its range starts.
                Volatile.Write(ref segment.FinalSize, start);
            }

            Rotate(segment);
        }
    }

    /// <summary>
    /// Reads records from <paramref name="position"/> into <paramref name="records"/> (payloads are slices of
    /// <paramref name="buffer"/>) and returns the position after the last one read, moving on to the next segment
    /// when a closed one is read to its end. Stops early at a record still being written.
    /// </summary>
    public long Read(long position, byte[] buffer, List<JournalRecord> records)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, 4 * (MaxPayload + HeaderSize));
        while (true)
        {
            var (segment, next) = Find(position);
            if (segment is null)
            {
                return position;
            }

            if (Start(segment.Index) > position)
            {
                position = Start(segment.Index);
            }

            var offset = position & OffsetMask;
            var closed = segment.Closed;
            var limit = closed ? Volatile.Read(ref segment.FinalSize) : Math.Min(Volatile.Read(ref segment.Reserved), _segmentBytes);
            if (offset >= limit)
            {
                if (closed && next is not null)
                {
                    position = Start(next.Index);
                    continue;
                }

                return position;
            }

            var read = RandomAccess.Read(segment.File.SafeFileHandle, buffer.AsSpan(0, (int)Math.Min(limit - offset, buffer.Length)), offset);
            var used = Parse(segment, offset, buffer.AsMemory(0, read), atEnd: offset + read >= limit, records);
            position += used;
            if (records.Count > 0 || used > 0 || !closed || offset + used < limit)
            {
                return position;
            }
        }
    }

    /// <summary>
    /// Closes the segment being written, if it holds anything, so that it can be deleted once read (clicks are personal
    /// data: they should not stay on disk until a quiet journal fills a segment). Writers move on to a new segment.
    /// </summary>
    public void SealCurrent()
    {
        var segment = Volatile.Read(ref _current);
        if (Volatile.Read(ref segment.Reserved) == 0)
        {
            return;
        }

        // A reservation no record fits in: the same path as a writer crossing the capacity.
        var end = Interlocked.Add(ref segment.Reserved, _segmentBytes + 1);
        var start = end - (_segmentBytes + 1);
        if (start <= _segmentBytes)
        {
            Volatile.Write(ref segment.FinalSize, start);
        }

        Rotate(segment);
    }

    /// <summary>Writes every segment's data to disk (fsync).</summary>
    public void Flush()
    {
        JournalSegment[] segments;
        lock (_gate)
        {
            segments = [.. _segments];
        }

        foreach (var segment in segments)
        {
            try
            {
                segment.File.Flush(flushToDisk: true);
            }
            catch (ObjectDisposedException)
            {
                // Deleted meanwhile: its records are in the click log.
            }
        }
    }

    /// <summary>Deletes the closed segments that end at or before <paramref name="position"/> (their records are in the click log).</summary>
    public int DeleteBefore(long position)
    {
        List<JournalSegment> gone = [];
        lock (_gate)
        {
            while (_segments.Count > 1 && _segments[0].Closed && Start(_segments[1].Index) <= position)
            {
                gone.Add(_segments[0]);
                _segments.RemoveAt(0);
            }
        }

        foreach (var segment in gone)
        {
            segment.Dispose();
            File.Delete(segment.Path);
        }

        return gone.Count;
    }

    /// <summary>The click id of the record at <paramref name="position"/>: journal id and position.</summary>
    public string ClickId(long position) => Id + "." + position.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var segment in _segments)
            {
                segment.Dispose();
            }
        }

        _lock.Dispose();
    }

    /// <summary>Whether <paramref name="directory"/> holds a journal (its id file).</summary>
    public static bool IsJournal(string directory) => File.Exists(Path.Combine(directory, "journal.id"));

    private static FileStream TakeLock(string directory, TimeSpan wait)
    {
        var until = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second process fails here.
                return new FileStream(Path.Combine(directory, "journal.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            }
            catch (IOException ex)
            {
                if (DateTime.UtcNow >= until)
                {
                    throw new Hosting.StartupProblemException(
                        $"The click journal in '{directory}' is in use by another process: each process recording clicks needs a journal " +
                        "directory of its own (Tracking:JournalDirectory).", ex);
                }
            }

            Thread.Sleep(100);
        }
    }

    private static long Start(int index) => (long)index << OffsetBits;

    /// <summary>Parses whole records; returns how many bytes of <paramref name="data"/> were consumed.</summary>
    private static int Parse(JournalSegment segment, long offset, ReadOnlyMemory<byte> data, bool atEnd, List<JournalRecord> records)
    {
        var span = data.Span;
        var p = 0;
        while (p < span.Length)
        {
            if (segment.HasHoles && segment.Holes.TryGetValue(offset + p, out var hole))
            {
                if (p + hole > span.Length)
                {
                    return p;
                }

                p += hole;
                continue;
            }

            if (p + HeaderSize <= span.Length && BinaryPrimitives.ReadUInt32LittleEndian(span[p..]) == Magic)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(span[(p + 4)..]);
                if (length is > 0 and <= MaxPayload)
                {
                    if (p + HeaderSize + length > span.Length)
                    {
                        // Cut by the buffer: read again from here, unless nothing more will ever come.
                        if (!atEnd)
                        {
                            return p;
                        }
                    }
                    else if (Crc32.HashToUInt32(span.Slice(p + HeaderSize, length)) == BinaryPrimitives.ReadUInt32LittleEndian(span[(p + 8)..]))
                    {
                        records.Add(new JournalRecord(Start(segment.Index) + offset + p, data.Slice(p + HeaderSize, length)));
                        p += HeaderSize + length;
                        continue;
                    }
                }
            }

            if (!segment.Recovered)
            {
                // A live segment: a record still being written. Wait for it.
                return p;
            }

            // An earlier process's segment: a torn record or a range never written. Look for the next record.
            p++;
        }

        return p;
    }

    private (JournalSegment? Segment, JournalSegment? Next) Find(long position)
    {
        var index = (int)(position >> OffsetBits);
        lock (_gate)
        {
            for (var i = 0; i < _segments.Count; i++)
            {
                if (_segments[i].Index >= index)
                {
                    return (_segments[i], i + 1 < _segments.Count ? _segments[i + 1] : null);
                }
            }
        }

        return (null, null);
    }

    private void Rotate(JournalSegment full)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!ReferenceEquals(_current, full))
            {
                return;
            }

            var next = NewSegment(full.Index + 1);
            _segments.Add(next);
            Volatile.Write(ref _current, next);
        }
    }

    private JournalSegment NewSegment(int index)
    {
        var path = Path.Combine(Directory, index.ToString("D12", CultureInfo.InvariantCulture) + SegmentSuffix);
        var segment = new JournalSegment(index, path, Open(path, FileMode.CreateNew), recovered: false, 0);
        if (SessionStart == 0)
        {
            SessionStart = Start(index);
        }

        return segment;
    }

    private static FileStream Open(string path, FileMode mode) =>
        new(path, new FileStreamOptions { Mode = mode, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite, BufferSize = 0 });

    private List<(int Index, string Path)> ExistingSegments() =>
        System.IO.Directory.EnumerateFiles(Directory, "*" + SegmentSuffix)
            .Select(p => (Ok: int.TryParse(Path.GetFileNameWithoutExtension(p), NumberStyles.None, CultureInfo.InvariantCulture, out var i), Index: i, Path: p))
            .Where(s => s.Ok && s.Index > 0)
            .OrderBy(s => s.Index)
            .Select(s => (s.Index, s.Path))
            .ToList();

    private string ReadOrCreateId()
    {
        var path = Path.Combine(Directory, "journal.id");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: 16 } existing && existing.All(char.IsAsciiHexDigitLower))
        {
            return existing;
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(id));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return id;
    }
}
