using System.Globalization;

namespace SfCompanion.Emulator.DemoData;

/// <summary>Campaigns (emails, webinars, trade shows) over three years, their member statuses and their members.</summary>
internal sealed partial class DemoDataRun
{
    private const byte EmailCampaign = 0;
    private const byte WebinarCampaign = 1;
    private const byte TradeShowCampaign = 2;

    private static readonly string[] CampaignTypes = ["Email", "Webinar", "Trade Show"];
    private static readonly WeightedTable CampaignTypeTable = new(55, 30, 15);

    /// <summary>Member statuses every campaign gets: label, default, responded.</summary>
    private static readonly (string Label, bool IsDefault, bool HasResponded)[] MemberStatuses =
    [
        ("Sent", true, false),
        ("Opened", false, false),
        ("Clicked", false, true),
        ("Responded", false, true),
    ];

    // Member status spread per campaign type (same order as MemberStatuses): emails are mostly just sent, events draw responses.
    private static readonly WeightedTable[] MemberStatusTables = [new(52, 38, 6, 4), new(40, 30, 15, 15), new(50, 20, 10, 20)];

    // Most people are in no campaign or one; nobody is in more than three.
    private static readonly WeightedTable MembershipsPerPerson = new(30, 35, 20, 15);

    private static readonly string[] MonthNames =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

    private static readonly string[] EmailingTopics =
    [
        "Offre de lancement", "Nouveautés produit", "Invitation client", "Cas client", "Livre blanc RGPD", "Relance prospects",
        "Offre partenaires", "Enquête de satisfaction", "Guide du scoring", "Offre fin d'année",
    ];

    private static readonly string[] WebinarTopics =
    [
        "Automatiser le scoring de vos leads", "RGPD et prospection B2B", "Réussir vos campagnes emailing", "Piloter votre pipe commercial",
        "Intégrer votre CRM à votre ERP", "Mesurer le ROI de vos salons", "Qualifier vos leads en 10 minutes", "Les nouveautés de l'année",
        "Prospecter les éditeurs de logiciels", "Fidéliser vos clients grands comptes",
    ];

    private static readonly string[] TradeShows =
    [
        "Solutions CRM", "Big Data & IA", "e-Marketing", "des Entrepreneurs", "Cloud & Cybersécurité", "Tech RH", "Industrie du Futur",
        "Commerce connecté", "Stratégie Clients", "Solutions Ressources Humaines",
    ];

    private static readonly string[] TradeShowCities = ["Paris", "Paris", "Paris", "Lyon", "Lille", "Nantes", "Bordeaux", "Toulouse", "Marseille"];

    private string[] _campaignIds = [];
    private byte[] _campaignType = [];

    // When members were added: the morning before the campaign started (boxed once per campaign).
    private object[] _memberAddedAt = [];
    private int[] _campaignStart = [];
    private int _startedCampaigns;
    private WeightedTable _memberCampaignTable = null!;

    private int GenerateCampaigns()
    {
        var count = Math.Clamp(_leadCount / 2_500, 12, 200);
        Report($"Campaigns: {count}");

        // Chronological order, so that the campaigns that have started are a prefix of the arrays.
        var starts = new int[count];
        for (var i = 0; i < count; i++)
        {
            starts[i] = _historyStart.DayNumber + _random.Next(_historyDays + 60);
        }

        Array.Sort(starts);
        _campaignIds = new string[count];
        _campaignType = new byte[count];
        _memberAddedAt = new object[count];
        _campaignStart = starts;
        var fields = new Dictionary<string, object?>(9, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var type = (byte)CampaignTypeTable.Pick(_random);
            var start = DateOnly.FromDayNumber(starts[i]);
            var end = type == TradeShowCampaign ? start.AddDays(Between(1, 2)) : start;
            var status = end < _today ? (Chance(0.04) ? "Aborted" : "Completed") : start <= _today ? "In Progress" : "Planned";
            var budget = type switch
            {
                EmailCampaign => Between(6, 50) * 50m,
                WebinarCampaign => Between(8, 60) * 100m,
                _ => Between(12, 80) * 500m,
            };
            decimal? actual = status switch
            {
                "Completed" => Math.Round(budget * (decimal)(0.85 + (_random.NextDouble() * 0.4)) / 10m) * 10m,
                "In Progress" => Math.Round(budget * (decimal)(0.3 + (_random.NextDouble() * 0.6)) / 10m) * 10m,
                "Aborted" => Math.Round(budget * (decimal)(_random.NextDouble() * 0.4) / 10m) * 10m,
                _ => null,
            };
            fields["Name"] = CampaignName(type, start);
            fields["Type"] = CampaignTypes[type];
            fields["Status"] = status;
            fields["StartDate"] = Day(start);
            fields["EndDate"] = Day(end);
            fields["ActualCost"] = actual;
            fields["BudgetedCost"] = budget;
            fields["IsActive"] = status is "In Progress" or "Planned" ? True : False;
            fields["OwnerId"] = _userIds[Pick(_marketers)];
            _campaignIds[i] = _sink.Insert("Campaign", fields);
            _campaignType[i] = type;
            _memberAddedAt[i] = new DateTimeOffset(start.AddDays(-1).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
            if (start <= _today)
            {
                _startedCampaigns = i + 1;
            }
        }

        // Emails reach far more people than webinars, and webinars more than trade shows.
        var reach = new int[Math.Max(1, _startedCampaigns)];
        for (var i = 0; i < reach.Length; i++)
        {
            reach[i] = _campaignType[i] switch { EmailCampaign => 6, WebinarCampaign => 3, _ => 2 };
        }

        _memberCampaignTable = new WeightedTable(reach);
        return count;
    }

    private string CampaignName(byte type, DateOnly start)
    {
        var month = MonthNames[start.Month - 1];
        var year = start.Year.ToString(CultureInfo.InvariantCulture);
        return type switch
        {
            EmailCampaign when Chance(0.4) => $"Newsletter – {month} {year}",
            EmailCampaign => $"Emailing – {Pick(EmailingTopics)} – {month} {year}",
            WebinarCampaign => $"Webinar – {Pick(WebinarTopics)} ({month} {year})",
            _ => $"Salon {Pick(TradeShows)} {Pick(TradeShowCities)} {year}",
        };
    }

    private int InsertCampaignMemberStatuses()
    {
        var fields = new Dictionary<string, object?>(5, StringComparer.Ordinal);
        var count = 0;
        foreach (var campaignId in _campaignIds)
        {
            for (var order = 0; order < MemberStatuses.Length; order++)
            {
                var (label, isDefault, hasResponded) = MemberStatuses[order];
                fields["CampaignId"] = campaignId;
                fields["Label"] = label;
                fields["IsDefault"] = isDefault ? True : False;
                fields["HasResponded"] = hasResponded ? True : False;
                fields["SortOrder"] = order + 1;
                _sink.Insert("CampaignMemberStatus", fields);
                count++;
            }
        }

        Report($"Campaign member statuses: {count}");
        return count;
    }

    private int GenerateCampaignMembers()
    {
        if (_startedCampaigns == 0)
        {
            return 0;
        }

        Report("Campaign members");
        var fields = new Dictionary<string, object?>(3, StringComparer.Ordinal);
        var count = 0;
        Span<int> chosen = stackalloc int[MembershipsPerPerson.Count];
        for (var i = 0; i < _leadIds.Length; i++)
        {
            count += AddMemberships(fields, "LeadId", _leadIds[i], chosen);
        }

        fields.Remove("LeadId");
        for (var i = 0; i < _contactIds.Length; i++)
        {
            count += AddMemberships(fields, "ContactId", _contactIds[i], chosen);
        }

        Report($"Campaign members: {count:N0}");
        return count;
    }

    private int AddMemberships(Dictionary<string, object?> fields, string personField, string personId, Span<int> chosen)
    {
        var wanted = Math.Min(MembershipsPerPerson.Pick(_random), _startedCampaigns);
        var count = 0;
        for (var attempt = 0; count < wanted && attempt < wanted * 4; attempt++)
        {
            var campaign = _memberCampaignTable.Pick(_random);
            if (chosen[..count].Contains(campaign))
            {
                continue;
            }

            chosen[count++] = campaign;
            fields["CampaignId"] = _campaignIds[campaign];
            fields[personField] = personId;
            fields["Status"] = MemberStatuses[MemberStatusTables[_campaignType[campaign]].Pick(_random)].Label;
            fields["CreatedDate"] = _memberAddedAt[campaign];
            _sink.Insert("CampaignMember", fields);
        }

        return count;
    }
}
