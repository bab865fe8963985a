using Microsoft.Net.Http.Headers;

namespace SfCompanion.Consent;

/// <summary>The words of the consent pages in one language. French and English; chosen from <c>Accept-Language</c>.</summary>
public sealed record ConsentTexts
{
    public required string Lang { get; init; }

    public required string PreferencesTitle { get; init; }

    public required string PreferencesIntro { get; init; }

    public required string ChannelsLegend { get; init; }

    public required IReadOnlyDictionary<string, string> ChannelNames { get; init; }

    public required IReadOnlyDictionary<string, string> StopLabels { get; init; }

    public required IReadOnlyDictionary<string, string> ResumeLabels { get; init; }

    public required string StatusReceiving { get; init; }

    public required string StatusStopped { get; init; }

    public required string StatusStoppedByAll { get; init; }

    public required string ResumeNote { get; init; }

    public required string SavedTitle { get; init; }

    public required IReadOnlyDictionary<string, string> StoppedMessages { get; init; }

    public required IReadOnlyDictionary<string, string> ResumedMessages { get; init; }

    public required string NothingChanged { get; init; }

    public required string BackToPreferences { get; init; }

    public required string InvalidTitle { get; init; }

    public required string InvalidBody { get; init; }

    public required string ExpiredFormTitle { get; init; }

    public required string ExpiredFormBody { get; init; }

    public required string ConfirmTitle { get; init; }

    public required IReadOnlyDictionary<string, string> ConfirmQuestions { get; init; }

    public required string ConfirmButton { get; init; }

    public required string ConfirmedTitle { get; init; }

    public required IReadOnlyDictionary<string, string> ConfirmedMessages { get; init; }

    public required string OneClickDone { get; init; }

    public required string OtherLanguage { get; init; }

    public static readonly ConsentTexts English = new()
    {
        Lang = "en",
        PreferencesTitle = "Your contact preferences",
        PreferencesIntro = "Choose how we may contact you. Stopping takes effect at once.",
        ChannelsLegend = "Channels",
        ChannelNames = Channels("Emails", "Phone calls", "Text messages (SMS)", "All prospection"),
        StopLabels = Channels("Stop emails", "Stop phone calls", "Stop text messages", "Stop all prospection"),
        ResumeLabels = Channels("Receive emails again", "Accept phone calls again", "Receive text messages again", "Accept prospection again"),
        StatusReceiving = "You receive these.",
        StatusStopped = "Stopped.",
        StatusStoppedByAll = "Stopped, because all prospection is stopped.",
        ResumeNote = "Resuming a channel records your new consent, with today's date.",
        SavedTitle = "Your choice is recorded",
        StoppedMessages = Channels("You will no longer receive our emails.", "You will no longer receive our phone calls.", "You will no longer receive our text messages.", "You will no longer receive any prospection from us."),
        ResumedMessages = Channels("You will receive our emails again.", "You accept our phone calls again.", "You will receive our text messages again.", "You accept our prospection again."),
        NothingChanged = "Nothing needed to change: your preferences were already set this way.",
        BackToPreferences = "Back to your preferences",
        InvalidTitle = "This link cannot be used",
        InvalidBody = "The link is incomplete, has expired or is not valid. Nothing was changed. To stop receiving our messages, use the link in a more recent message, or reply to it and ask us.",
        ExpiredFormTitle = "This page has expired",
        ExpiredFormBody = "Nothing was changed. Open your preferences again and make your choice.",
        ConfirmTitle = "Please confirm",
        ConfirmQuestions = Channels("Do you want to receive our emails?", "Do you accept our phone calls?", "Do you want to receive our text messages?", "Do you accept our prospection?"),
        ConfirmButton = "Yes, I confirm",
        ConfirmedTitle = "Thank you, your consent is recorded",
        ConfirmedMessages = Channels("You will receive our emails. You can stop at any time from the link in each message.", "You accept our phone calls. You can withdraw at any time.", "You will receive our text messages. You can stop at any time.", "You accept our prospection. You can withdraw at any time."),
        OneClickDone = "You are unsubscribed: you will no longer receive our emails.",
        OtherLanguage = "Français",
    };

    public static readonly ConsentTexts French = new()
    {
        Lang = "fr",
        PreferencesTitle = "Vos préférences de contact",
        PreferencesIntro = "Choisissez comment nous pouvons vous contacter. Un arrêt prend effet immédiatement.",
        ChannelsLegend = "Canaux",
        ChannelNames = Channels("E-mails", "Appels téléphoniques", "SMS", "Toute prospection"),
        StopLabels = Channels("Ne plus recevoir d'e-mails", "Ne plus être appelé", "Ne plus recevoir de SMS", "Arrêter toute prospection"),
        ResumeLabels = Channels("Recevoir à nouveau les e-mails", "Accepter à nouveau les appels", "Recevoir à nouveau les SMS", "Accepter à nouveau la prospection"),
        StatusReceiving = "Vous les recevez.",
        StatusStopped = "Arrêté.",
        StatusStoppedByAll = "Arrêté, car toute prospection est arrêtée.",
        ResumeNote = "Réactiver un canal enregistre votre nouveau consentement, à la date du jour.",
        SavedTitle = "Votre choix est enregistré",
        StoppedMessages = Channels("Vous ne recevrez plus nos e-mails.", "Vous ne recevrez plus nos appels.", "Vous ne recevrez plus nos SMS.", "Vous ne recevrez plus aucune prospection de notre part."),
        ResumedMessages = Channels("Vous recevrez à nouveau nos e-mails.", "Vous acceptez à nouveau nos appels.", "Vous recevrez à nouveau nos SMS.", "Vous acceptez à nouveau notre prospection."),
        NothingChanged = "Rien à changer : vos préférences étaient déjà ainsi.",
        BackToPreferences = "Retour à vos préférences",
        InvalidTitle = "Ce lien ne peut pas être utilisé",
        InvalidBody = "Le lien est incomplet, a expiré ou n'est pas valide. Rien n'a été modifié. Pour ne plus recevoir nos messages, utilisez le lien d'un message plus récent, ou répondez-y pour nous le demander.",
        ExpiredFormTitle = "Cette page a expiré",
        ExpiredFormBody = "Rien n'a été modifié. Ouvrez à nouveau vos préférences et faites votre choix.",
        ConfirmTitle = "Merci de confirmer",
        ConfirmQuestions = Channels("Souhaitez-vous recevoir nos e-mails ?", "Acceptez-vous nos appels ?", "Souhaitez-vous recevoir nos SMS ?", "Acceptez-vous notre prospection ?"),
        ConfirmButton = "Oui, je confirme",
        ConfirmedTitle = "Merci, votre consentement est enregistré",
        ConfirmedMessages = Channels("Vous recevrez nos e-mails. Vous pouvez arrêter à tout moment grâce au lien présent dans chaque message.", "Vous acceptez nos appels. Vous pouvez retirer votre accord à tout moment.", "Vous recevrez nos SMS. Vous pouvez arrêter à tout moment.", "Vous acceptez notre prospection. Vous pouvez retirer votre accord à tout moment."),
        OneClickDone = "Votre désinscription est faite : vous ne recevrez plus nos e-mails.",
        OtherLanguage = "English",
    };

    /// <summary>The language asked for: an explicit <c>lang</c> query value, else the best of <c>Accept-Language</c>, else the default.</summary>
    public static ConsentTexts For(HttpRequest request, string defaultLanguage)
    {
        ArgumentNullException.ThrowIfNull(request);
        var explicitLang = request.Query["lang"].ToString();
        if (explicitLang is "fr" or "en")
        {
            return explicitLang == "fr" ? French : English;
        }

        if (request.Headers.AcceptLanguage.Count > 0
            && StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var languages))
        {
            foreach (var language in languages.Where(l => (l.Quality ?? 1) > 0).OrderByDescending(l => l.Quality ?? 1))
            {
                var tag = language.Value.Value ?? string.Empty;
                if (tag.StartsWith("fr", StringComparison.OrdinalIgnoreCase))
                {
                    return French;
                }

                if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
                {
                    return English;
                }
            }
        }

        return defaultLanguage == "fr" ? French : English;
    }

    private static Dictionary<string, string> Channels(string email, string phone, string sms, string prospection) => new(StringComparer.Ordinal)
    {
        [ConsentChannels.Email] = email,
        [ConsentChannels.Phone] = phone,
        [ConsentChannels.Sms] = sms,
        [ConsentChannels.Prospection] = prospection,
    };
}
