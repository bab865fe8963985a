namespace SfCompanion.Sync;

/// <summary>
/// Told of every change written to the mirror, after it is stored: records as they now stand (merged fields
/// included) and deleted ids. Used to keep derived in-memory data current without reloading.
/// </summary>
public interface IMirrorListener
{
    ValueTask OnPutAsync(string type, IReadOnlyList<MirrorRecord> records, CancellationToken cancellationToken);

    ValueTask OnDeletedAsync(string type, string id, CancellationToken cancellationToken);
}
