using System.Text;
using System.Text.Encodings.Web;

namespace SfCompanion.Consent;

/// <summary>
/// The consent pages' HTML: plain, accessible, no JavaScript, no external resources. Every value written into the
/// page is HTML-encoded.
/// </summary>
internal static class ConsentHtml
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:38rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a;background:#fff}" +
        "h1{font-size:1.5rem}ul.channels{list-style:none;padding:0}ul.channels li{border:1px solid #767676;border-radius:.4rem;padding:.75rem 1rem;margin:.75rem 0}" +
        ".name{font-weight:bold;display:block}button{font-size:1rem;padding:.5rem 1rem;margin-top:.4rem;cursor:pointer;border:2px solid #1a1a1a;border-radius:.3rem;background:#f2f2f2;color:#1a1a1a}" +
        "button:focus{outline:3px solid #005fcc;outline-offset:2px}fieldset{border:0;padding:0;margin:0}legend{font-weight:bold}" +
        "a{color:#004a99}.lang{float:right}";

    private static string E(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    /// <summary>A whole page: title as heading, the body, and a link to the same page in the other language.</summary>
    public static string Page(ConsentTexts texts, string title, string body, string? otherLanguageUrl)
    {
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html><html lang=\"").Append(texts.Lang).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex, nofollow\">")
            .Append("<title>").Append(E(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");
        if (otherLanguageUrl is not null)
        {
            var other = texts.Lang == "fr" ? "en" : "fr";
            html.Append("<p class=\"lang\"><a href=\"").Append(E(otherLanguageUrl)).Append("\" hreflang=\"").Append(other).Append("\" lang=\"").Append(other).Append("\">")
                .Append(E(texts.OtherLanguage)).Append("</a></p>");
        }

        html.Append("<main><h1>").Append(E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        return html.ToString();
    }

    public static string Preferences(ConsentTexts texts, ConsentState? state, string action, string formToken, string? otherLanguageUrl)
    {
        var body = new StringBuilder(2048);
        body.Append("<p>").Append(E(texts.PreferencesIntro)).Append("</p>")
            .Append("<form method=\"post\" action=\"").Append(E(action)).Append("\">")
            .Append("<input type=\"hidden\" name=\"_form\" value=\"").Append(E(formToken)).Append("\">")
            .Append("<fieldset><legend>").Append(E(texts.ChannelsLegend)).Append("</legend><ul class=\"channels\">");
        foreach (var channel in ConsentChannels.All)
        {
            var own = state?.Channels.GetValueOrDefault(channel);
            var ownOut = own?.OptedOut == true;
            var blockedByAll = !ownOut && channel != ConsentChannels.Prospection && state?.IsOptedOut(channel) == true;
            var status = ownOut ? texts.StatusStopped : blockedByAll ? texts.StatusStoppedByAll : texts.StatusReceiving;
            body.Append("<li id=\"channel-").Append(channel).Append("\" data-state=\"").Append(ownOut || blockedByAll ? "stopped" : "receiving").Append("\">")
                .Append("<span class=\"name\" id=\"name-").Append(channel).Append("\">").Append(E(texts.ChannelNames[channel])).Append("</span>")
                .Append("<span class=\"status\">").Append(E(status)).Append("</span>");
            if (ownOut)
            {
                Button(body, channel, ConsentActions.OptIn, texts.ResumeLabels[channel]);
            }
            else if (!blockedByAll)
            {
                Button(body, channel, ConsentActions.OptOut, texts.StopLabels[channel]);
            }

            body.Append("</li>");
        }

        body.Append("</ul></fieldset></form><p><small>").Append(E(texts.ResumeNote)).Append("</small></p>");
        return Page(texts, texts.PreferencesTitle, body.ToString(), otherLanguageUrl);
    }

    private static void Button(StringBuilder body, string channel, string action, string label) =>
        body.Append("<div><button type=\"submit\" name=\"change\" value=\"").Append(channel).Append(':').Append(action)
            .Append("\" aria-describedby=\"name-").Append(channel).Append("\">").Append(E(label)).Append("</button></div>");

    public static string Saved(ConsentTexts texts, IReadOnlyList<string> messages, string preferencesUrl)
    {
        var body = new StringBuilder();
        body.Append("<div role=\"status\">");
        foreach (var message in messages)
        {
            body.Append("<p>").Append(E(message)).Append("</p>");
        }

        body.Append("</div><p><a href=\"").Append(E(preferencesUrl)).Append("\">").Append(E(texts.BackToPreferences)).Append("</a></p>");
        return Page(texts, texts.SavedTitle, body.ToString(), null);
    }

    public static string Message(ConsentTexts texts, string title, string message, string? linkUrl = null, string? linkText = null)
    {
        var body = "<p>" + E(message) + "</p>" + (linkUrl is null ? string.Empty : "<p><a href=\"" + E(linkUrl) + "\">" + E(linkText) + "</a></p>");
        return Page(texts, title, body, null);
    }

    public static string Confirm(ConsentTexts texts, string channel, string action, string formToken, string? otherLanguageUrl)
    {
        var body = new StringBuilder();
        body.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\">")
            .Append("<input type=\"hidden\" name=\"_form\" value=\"").Append(E(formToken)).Append("\">")
            .Append("<p id=\"question\">").Append(E(texts.ConfirmQuestions[channel])).Append("</p>")
            .Append("<button type=\"submit\" name=\"confirm\" value=\"yes\" aria-describedby=\"question\">").Append(E(texts.ConfirmButton)).Append("</button></form>");
        return Page(texts, texts.ConfirmTitle, body.ToString(), otherLanguageUrl);
    }
}
