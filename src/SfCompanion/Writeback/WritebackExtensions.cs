using SfCompanion.Hosting;

namespace SfCompanion.Writeback;

public static class WritebackExtensions
{
    /// <summary>The outbox every capability enqueues into, and the writeback that drains it.</summary>
    public static IServiceCollection AddWriteback(this IServiceCollection services)
    {
        services.AddValidatedOptions<WritebackOptions>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<WritebackService>();
        return services;
    }
}
