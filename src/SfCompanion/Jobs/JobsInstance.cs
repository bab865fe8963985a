using System.Globalization;

namespace SfCompanion.Jobs;

/// <summary>Identifies this process as a lease owner.</summary>
public sealed class JobsInstance
{
    public string Id { get; } = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}");
}
