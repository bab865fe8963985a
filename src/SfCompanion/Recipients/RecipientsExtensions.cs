using Microsoft.Extensions.DependencyInjection.Extensions;
using SfCompanion.Hosting;

namespace SfCompanion.Recipients;

public static class RecipientsExtensions
{
    /// <summary>Signed recipient tokens shared by tracked links and consent pages. Safe to call twice (both capabilities call it).</summary>
    public static IHostApplicationBuilder AddRecipientTokens(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptionsRules<RecipientTokenOptions, RecipientTokenOptionsRules>();
        services.AddValidatedOptions<RecipientTokenOptions>();
        services.TryAddSingleton<RecipientTokens>();
        services.AddWarmUp<RecipientTokens>();
        return builder;
    }
}
