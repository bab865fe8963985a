using SfCompanion.Hosting;

namespace SfCompanion.Recipients;

public static class RecipientsExtensions
{
    /// <summary>Signed recipient tokens shared by tracked links and consent pages.</summary>
    public static IServiceCollection AddRecipientTokens(this IServiceCollection services)
    {
        services.AddSingleton<IOptionsRules<RecipientTokenOptions>, RecipientTokenOptionsRules>();
        services.AddValidatedOptions<RecipientTokenOptions>();
        services.AddSingleton<RecipientTokens>();
        services.AddWarmUp<RecipientTokens>();
        return services;
    }
}
