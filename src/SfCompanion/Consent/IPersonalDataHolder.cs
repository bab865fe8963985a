namespace SfCompanion.Consent;

/// <summary>
/// Data another capability holds about a person (e.g. their clicks), so export and erasure cover everything
/// SfCompanion holds. Register with <c>services.AddSingleton&lt;IPersonalDataHolder, …&gt;()</c>.
/// </summary>
public interface IPersonalDataHolder
{
    /// <summary>The section name in an export (e.g. <c>tracking</c>).</summary>
    string Name { get; }

    Task<object?> ExportAsync(string subject, CancellationToken cancellationToken);

    /// <summary>Deletes what is held about <paramref name="subject"/>; returns the number of items removed.</summary>
    Task<int> EraseAsync(string subject, CancellationToken cancellationToken);
}
