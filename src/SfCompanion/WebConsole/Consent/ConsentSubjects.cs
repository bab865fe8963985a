using SfCompanion.Salesforce;
using SfCompanion.Sync;

namespace SfCompanion.WebConsole.Consent;

/// <summary>Finding the subject of a consent look-up: a lead or contact id, or an email address through the mirror's index.</summary>
public static class ConsentSubjects
{
    private static readonly string[] PersonTypes = ["Lead", "Contact"];

    /// <summary>Whether <paramref name="value"/> has the shape of a record id (15 or 18 letters or digits), as the consent API asks.</summary>
    public static bool IsRecordId(string? value) => value is { Length: 15 or 18 } && value.All(char.IsAsciiLetterOrDigit);

    /// <summary>A value to quote in a message: at most 80 characters.</summary>
    public static string? Shorten(string? value) => value is { Length: > 80 } ? value[..80] + "…" : value;

    /// <summary>The mirrored leads and contacts with this email address (only where the mirror indexes Email).</summary>
    public static async Task<IReadOnlyList<MirrorRecord>> FindByEmailAsync(Mirror mirror, SyncObjectCatalog catalog, string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        ArgumentNullException.ThrowIfNull(catalog);
        var found = new List<MirrorRecord>();
        foreach (var type in PersonTypes)
        {
            if (catalog.Find(type)?.IndexedFields.Contains("Email", StringComparer.OrdinalIgnoreCase) == true)
            {
                found.AddRange(await mirror.FindAsync(type, "Email", email, 20, cancellationToken));
            }
        }

        return found;
    }

    /// <summary>Whether the mirror can look people up by email at all.</summary>
    public static bool CanFindByEmail(SyncObjectCatalog catalog) =>
        catalog is not null && PersonTypes.Any(t => catalog.Find(t)?.IndexedFields.Contains("Email", StringComparer.OrdinalIgnoreCase) == true);

    /// <summary>The mirrored record of a subject (lead or contact), or null.</summary>
    public static async Task<MirrorRecord?> RecordAsync(Mirror mirror, string subject, CancellationToken cancellationToken) =>
        SalesforceIds.PersonObjectOf(subject) is { } type && mirror is not null ? await mirror.GetAsync(type, subject, cancellationToken) : null;
}
