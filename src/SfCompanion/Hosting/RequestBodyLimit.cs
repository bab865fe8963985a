namespace SfCompanion.Hosting;

/// <summary>
/// Endpoint metadata: the largest request body the endpoint accepts, in bytes. The most specific one wins (an endpoint's
/// own over its group's); endpoints without one get <see cref="RequestBodyLimits.Default"/>.
/// </summary>
public sealed class RequestBodyLimit(long bytes)
{
    public long Bytes { get; } = bytes;
}
