using System.Text;
using SfCompanion.Tracking;

namespace SfCompanion.Tests.Tracking;

/// <summary>The click journal on real files: appends, reading back, restarts, torn and missing records, rotation.</summary>
public sealed class ClickJournalTests : IDisposable
{
    /// <summary>The smallest segment the journal accepts, so a few hundred records rotate.</summary>
    private const long SmallSegment = 4L * (ClickJournal.MaxPayload + 12);

    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-journal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Payload(int i) => Encoding.UTF8.GetBytes($"{{\"l\":\"link\",\"n\":{i},\"pad\":\"{new string('x', 150)}\"}}");

    private static List<(long Position, string Payload)> ReadAll(ClickJournal journal, long from = -1)
    {
        var buffer = new byte[1 << 20];
        var records = new List<JournalRecord>();
        var all = new List<(long, string)>();
        var position = from < 0 ? journal.FirstPosition : from;
        while (true)
        {
            records.Clear();
            var next = journal.Read(position, buffer, records);
            all.AddRange(records.Select(r => (r.Position, Encoding.UTF8.GetString(r.Payload.Span))));
            if (next == position)
            {
                return all;
            }

            position = next;
        }
    }

    private string[] SegmentFiles() => [.. Directory.GetFiles(_directory, "*.seg").Order(StringComparer.Ordinal)];

    [Fact]
    public void Records_are_read_back_in_order_with_distinct_positions()
    {
        using var journal = new ClickJournal(_directory);
        for (var i = 0; i < 100; i++)
        {
            journal.Append(Payload(i));
        }

        var read = ReadAll(journal);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => Encoding.UTF8.GetString(Payload(i))), read.Select(r => r.Payload));
        Assert.Equal(100, read.Select(r => r.Position).Distinct().Count());
    }

    [Fact]
    public void Concurrent_appends_are_each_read_back_exactly_once()
    {
        using var journal = new ClickJournal(_directory, SmallSegment);
        Parallel.For(0, 5000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => journal.Append(Payload(i)));

        var read = ReadAll(journal);

        Assert.Equal(5000, read.Count);
        Assert.Equal(Enumerable.Range(0, 5000), read.Select(r => int.Parse(r.Payload.Split("\"n\":")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.True(SegmentFiles().Length > 5, $"{SegmentFiles().Length} segments");
    }

    [Fact]
    public void A_new_process_keeps_the_earlier_segments_and_writes_a_segment_of_its_own()
    {
        string id;
        using (var first = new ClickJournal(_directory))
        {
            id = first.Id;
            first.Append(Payload(1));
            first.Append(Payload(2));
        }

        using var second = new ClickJournal(_directory);
        second.Append(Payload(3));

        Assert.Equal(id, second.Id);
        Assert.Equal(1, second.RecoveredCount);
        Assert.Equal(2, SegmentFiles().Length);
        Assert.Equal([1, 2, 3], ReadAll(second).Select(r => int.Parse(r.Payload.Split("\"n\":")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(ReadAll(second)[2].Position >= second.SessionStart);
    }

    [Fact]
    public void A_torn_last_record_is_ignored()
    {
        using (var first = new ClickJournal(_directory))
        {
            for (var i = 0; i < 10; i++)
            {
                first.Append(Payload(i));
            }
        }

        var segment = Assert.Single(SegmentFiles());
        var length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            // A power loss in the middle of the last record: its end never reached the disk.
            file.SetLength(length - 40);
        }

        using var second = new ClickJournal(_directory);
        second.Append(Payload(100));
        var read = ReadAll(second);

        Assert.Equal([.. Enumerable.Range(0, 9), 100], read.Select(r => int.Parse(r.Payload.Split("\"n\":")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_range_never_written_is_skipped_and_the_records_after_it_are_kept()
    {
        using (var first = new ClickJournal(_directory))
        {
            for (var i = 0; i < 10; i++)
            {
                first.Append(Payload(i));
            }
        }

        var segment = Assert.Single(SegmentFiles());
        var recordLength = new FileInfo(segment).Length / 10;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            // Records 3 and 4: reserved by writes the crash stopped (zeros), or damaged (garbage).
            file.Position = 3 * recordLength;
            file.Write(new byte[recordLength]);
            file.Write(Enumerable.Repeat((byte)0x5A, (int)recordLength).ToArray());
        }

        using var second = new ClickJournal(_directory);
        var read = ReadAll(second);

        Assert.Equal([0, 1, 2, 5, 6, 7, 8, 9], read.Select(r => int.Parse(r.Payload.Split("\"n\":")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Segments_rotate_and_only_those_read_past_are_deleted()
    {
        using var journal = new ClickJournal(_directory, SmallSegment);
        for (var i = 0; i < 1500; i++)
        {
            journal.Append(Payload(i));
        }

        var segments = SegmentFiles().Length;
        var read = ReadAll(journal);
        Assert.Equal(1500, read.Count);
        Assert.True(segments >= 4, $"{segments} segments");

        // Up to the middle record: the segments before the one holding it go.
        var middle = read[750].Position;
        var deleted = journal.DeleteBefore(middle);
        Assert.True(deleted >= 1);
        Assert.Equal(segments - deleted, SegmentFiles().Length);
        Assert.Equal(read.Where(r => r.Position >= journal.FirstPosition).Select(r => r.Payload), ReadAll(journal).Select(r => r.Payload));
        Assert.Contains(read[750].Payload, ReadAll(journal).Select(r => r.Payload));

        // Past everything: only the segment still being written stays.
        journal.DeleteBefore(long.MaxValue);
        Assert.Single(SegmentFiles());
        journal.Append(Payload(2000));
        Assert.Contains(ReadAll(journal), r => r.Payload.Contains("\"n\":2000", StringComparison.Ordinal));
    }

    [Fact]
    public void A_sealed_segment_is_deleted_once_read_and_writing_goes_on_in_a_new_one()
    {
        using var journal = new ClickJournal(_directory);
        journal.Append(Payload(1));
        journal.Append(Payload(2));

        journal.SealCurrent();
        journal.Append(Payload(3));
        var read = ReadAll(journal);
        journal.DeleteBefore(read[2].Position);

        Assert.Equal(3, read.Count);
        Assert.Single(SegmentFiles());
        Assert.Equal([Encoding.UTF8.GetString(Payload(3))], ReadAll(journal).Select(r => r.Payload));
        journal.SealCurrent();
        journal.SealCurrent(); // an empty segment stays
        Assert.Equal(2, SegmentFiles().Length);
    }

    [Fact]
    public void A_second_process_cannot_open_a_journal_in_use()
    {
        using var journal = new ClickJournal(_directory);

        var ex = Assert.Throws<SfCompanion.Hosting.StartupProblemException>(() => new ClickJournal(_directory));

        Assert.Contains("Tracking:JournalDirectory", ex.Message, StringComparison.Ordinal);
    }
}
