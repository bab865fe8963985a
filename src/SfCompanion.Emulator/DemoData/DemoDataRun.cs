using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace SfCompanion.Emulator.DemoData;

/// <summary>One generation run: the seeded random source, the precomputed tables and the Ids inserted so far.</summary>
[SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Demo data must be reproducible from a seed; nothing here is a secret.")]
internal sealed partial class DemoDataRun
{
    private const int HistoryYears = 3;
    private const int FutureDays = 200;
    private const int ProgressEvery = 100_000;

    private static readonly object True = true;
    private static readonly object False = false;

    private readonly IDemoDataSink _sink;
    private readonly IProgress<string>? _progress;
    private readonly Random _random;
    private readonly int _leadCount;

    private readonly DateOnly _today;
    private readonly DateOnly _historyStart;
    private readonly int _historyDays;
    private readonly object[] _dayBoxes;

    private readonly string[] _firstNames;
    private readonly string[] _firstSlugs;
    private readonly string[] _firstInitials;
    private readonly int _feminineNameCount;
    private readonly int _masculineNameCount;
    private readonly string[] _lastSlugs;
    private readonly WeightedTable _lastNameTable;
    private readonly WeightedTable _prospectTitleTable;
    private readonly WeightedTable _cityTable;
    private readonly WeightedTable _nafTable;
    private readonly string[] _phoneZone;

    // Every generated email, so that only the intended duplicates share one.
    private readonly HashSet<string> _emails = new(StringComparer.Ordinal);

    public DemoDataRun(IDemoDataSink sink, DemoDataOptions options, IProgress<string>? progress)
    {
        _sink = sink;
        _progress = progress;
        _random = new Random(options.Seed);
        _leadCount = options.Leads;

        _today = DateOnly.FromDateTime(options.Now.DateTime);
        _historyStart = _today.AddYears(-HistoryYears);
        _historyDays = _today.DayNumber - _historyStart.DayNumber;
        _dayBoxes = new object[_historyDays + FutureDays + 1];
        for (var i = 0; i < _dayBoxes.Length; i++)
        {
            _dayBoxes[i] = _historyStart.AddDays(i);
        }

        var feminine = FrenchReferenceData.FeminineFirstNames;
        var masculine = FrenchReferenceData.MasculineFirstNames;
        _feminineNameCount = feminine.Count;
        _masculineNameCount = masculine.Count;
        _firstNames = [.. feminine, .. masculine];
        _firstSlugs = Array.ConvertAll(_firstNames, EmailSlug);
        _firstInitials = Array.ConvertAll(_firstSlugs, s => s[..1]);
        _lastSlugs = [.. FrenchReferenceData.LastNames.Select(EmailSlug)];

        // Surnames are long-tailed: the list is ordered from most to least common and drawn accordingly.
        var lastWeights = new int[FrenchReferenceData.LastNames.Count];
        for (var i = 0; i < lastWeights.Length; i++)
        {
            lastWeights[i] = 2_000 / (i + 10);
        }

        _lastNameTable = new WeightedTable(lastWeights);
        _prospectTitleTable = WeightedTable.Of(FrenchReferenceData.ProspectTitles, t => t.Weight);
        _cityTable = WeightedTable.Of(FrenchReferenceData.Cities, c => c.Weight);
        _nafTable = WeightedTable.Of(FrenchReferenceData.NafActivities, n => n.Weight);
        _phoneZone = [.. FrenchReferenceData.Cities.Select(c => c.PhoneZone.ToString(CultureInfo.InvariantCulture))];
    }

    public DemoDataSummary Run()
    {
        var users = GenerateUsers();
        GenerateCompanies();
        var accounts = InsertAccounts();
        var campaigns = GenerateCampaigns();
        var statuses = InsertCampaignMemberStatuses();
        var (leads, duplicates) = GenerateLeads();
        var contacts = GenerateContacts();
        var members = GenerateCampaignMembers();
        var opportunities = GenerateOpportunities();
        var tasks = GenerateTasks();
        var summary = new DemoDataSummary
        {
            Users = users,
            InactiveUsers = _userActive.Count(a => !a),
            Accounts = accounts,
            Campaigns = campaigns,
            CampaignMemberStatuses = statuses,
            Leads = leads,
            DuplicateLeads = duplicates,
            Contacts = contacts,
            CampaignMembers = members,
            Opportunities = opportunities,
            Tasks = tasks,
        };
        Report($"Done: {summary.Total:N0} records");
        return summary;
    }

    private void Report(string message) => _progress?.Report(message);

    private void ReportEvery(string sobjectType, int done, int total)
    {
        if (done % ProgressEvery == 0 && done > 0)
        {
            Report($"{sobjectType}: {done:N0} / {total:N0}");
        }
    }

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private int Between(int minInclusive, int maxInclusive) => _random.Next(minInclusive, maxInclusive + 1);

    /// <summary>A log-uniform draw: small values as common as large ones per order of magnitude, like company sizes and deal amounts.</summary>
    private double LogUniform(double min, double max) => Math.Exp(Math.Log(min) + (_random.NextDouble() * (Math.Log(max) - Math.Log(min))));

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private object Day(DateOnly date) => _dayBoxes[date.DayNumber - _historyStart.DayNumber];

    private DateOnly PastDay() => _historyStart.AddDays(_random.Next(_historyDays));

    /// <summary>Picks a first name; indexes below the feminine count are feminine.</summary>
    private int PickFirstName(bool feminine) =>
        feminine ? _random.Next(_feminineNameCount) : _feminineNameCount + _random.Next(_masculineNameCount);

    private bool IsFeminine(int firstName) => firstName < _feminineNameCount;

    /// <summary>A French number in international format, "+33 1 23 45 67 89"; mobiles start with 6 or 7.</summary>
    private string PhoneNumber(string zone)
    {
        var digits = _random.Next(100_000_000);
        return string.Create(17, (zone[0], digits), static (span, state) =>
        {
            "+33 ".AsSpan().CopyTo(span);
            span[4] = state.Item1;
            var number = state.digits;
            for (var pair = 3; pair >= 0; pair--)
            {
                var at = 6 + (pair * 3);
                span[at - 1] = ' ';
                span[at + 1] = (char)('0' + (number % 10));
                number /= 10;
                span[at] = (char)('0' + (number % 10));
                number /= 10;
            }
        });
    }

    private string MobileNumber() => PhoneNumber(Chance(0.8) ? "6" : "7");

    /// <summary>Makes a unique email from the person's name and the company's usual address pattern.</summary>
    private string Email(int firstName, int lastName, byte pattern, string domain)
    {
        var first = _firstSlugs[firstName];
        var last = _lastSlugs[lastName];
        var email = pattern switch
        {
            1 => string.Concat(_firstInitials[firstName], ".", last, "@", domain),
            2 => string.Concat(_firstInitials[firstName], last, "@", domain),
            3 => string.Concat(last, ".", first, "@", domain),
            _ => string.Concat(first, ".", last, "@", domain),
        };
        if (_emails.Add(email))
        {
            return email;
        }

        // Namesakes in one company: the second one gets a number, as mail administrators do.
        var at = email.IndexOf('@', StringComparison.Ordinal);
        for (var n = 2; ; n++)
        {
            var numbered = string.Concat(email.AsSpan(0, at), n.ToString(CultureInfo.InvariantCulture), email.AsSpan(at));
            if (_emails.Add(numbered))
            {
                return numbered;
            }
        }
    }

    /// <summary>Lower-case ASCII letters and digits only: "Le Gall" becomes "legall", "Hélène" becomes "helene".</summary>
    private static string EmailSlug(string text) => Slug(text, separator: null);

    /// <summary>Lower-case ASCII words joined by hyphens, for domain names.</summary>
    private static string DomainSlug(string text) => Slug(text.Replace("&", " et ", StringComparison.Ordinal), separator: '-');

    private static string Slug(string text, char? separator)
    {
        var decomposed = text.Replace("œ", "oe", StringComparison.Ordinal).Replace("Œ", "Oe", StringComparison.Ordinal).Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSeparator = false;
        foreach (var c in decomposed)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (pendingSeparator && builder.Length > 0 && separator is { } s)
                {
                    builder.Append(s);
                }

                pendingSeparator = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                pendingSeparator = true;
            }
        }

        return builder.ToString();
    }
}
