namespace SfCompanion.Tracking;

/// <summary>
/// One record read back from the <see cref="ClickJournal"/>: its position (segment and offset, unique for the
/// journal's lifetime) and its payload, a slice of the reader's buffer valid until the next read.
/// </summary>
public readonly record struct JournalRecord(long Position, ReadOnlyMemory<byte> Payload);
