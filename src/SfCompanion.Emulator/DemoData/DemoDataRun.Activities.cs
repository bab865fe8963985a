namespace SfCompanion.Emulator.DemoData;

/// <summary>Three years of opportunities on accounts, and the calls and emails of the sales reps.</summary>
internal sealed partial class DemoDataRun
{
    private const byte Won = 0;
    private const byte Lost = 1;
    private const byte Open = 2;

    private static readonly (string Stage, object Probability)[] OpenStages =
    [
        ("Prospecting", 10m), ("Qualification", 10m), ("Needs Analysis", 20m), ("Value Proposition", 50m), ("Id. Decision Makers", 60m),
        ("Perception Analysis", 70m), ("Proposal/Price Quote", 75m), ("Negotiation/Review", 90m),
    ];

    // Deals per account by account type (index = number of deals; customers have one more).
    private static readonly WeightedTable CustomerExtraDeals = new(3, 4, 4, 3, 2, 1);
    private static readonly WeightedTable ProspectDeals = new(8, 7, 4, 1);
    private static readonly WeightedTable PartnerDeals = new(2, 3, 2, 1);
    private static readonly WeightedTable OtherDeals = new(3, 2);

    // Outcomes, indexed Won, Lost, Open (prospects: Lost, Open).
    private static readonly WeightedTable LaterCustomerOutcome = new(3, 2, 2);
    private static readonly WeightedTable ProspectOutcome = new(7, 3);
    private static readonly WeightedTable OtherOutcome = new(1, 2, 1);

    private static readonly WeightedTable OpenStageTable = new(20, 18, 16, 14, 10, 8, 8, 6);
    private static readonly object Certain = 100m;
    private static readonly object Nil = 0m;

    private static readonly string[] Products =
    [
        "Licences CRM", "Module scoring", "Intégration ERP", "Abonnement annuel", "Formation utilisateurs", "Extension utilisateurs",
        "Accompagnement projet", "Renouvellement", "Pack démarrage", "Support premium",
    ];

    // Deal sizes per company size band, in euros.
    private static readonly (int Min, int Max)[] DealSizes = [(2_000, 15_000), (8_000, 80_000), (30_000, 300_000), (80_000, 900_000)];

    private static readonly string[] CallSubjects = ["Appel de découverte", "Appel de qualification", "Relance téléphonique", "Appel de suivi", "Point d'avancement"];
    private static readonly string[] EmailSubjects =
        ["Email : présentation de l'offre", "Email : envoi de la documentation", "Email : relance proposition", "Email : invitation webinar", "Email : prise de rendez-vous"];

    private static readonly string[] Priorities = ["Normal", "High", "Low"];
    private static readonly WeightedTable PriorityTable = new(80, 15, 5);
    private static readonly WeightedTable TasksPerContact = new(25, 30, 25, 15, 5);

    private int GenerateOpportunities()
    {
        Report("Opportunities");
        var fields = new Dictionary<string, object?>(10, StringComparer.Ordinal);
        var count = 0;
        for (var a = 0; a < _accountCount; a++)
        {
            var type = AccountTypes[_accountType[a]];
            var customer = type.StartsWith("Customer", StringComparison.Ordinal);
            var partner = type.EndsWith("Partner", StringComparison.Ordinal) || type.StartsWith("Channel", StringComparison.Ordinal);
            var opportunities = customer ? 1 + CustomerExtraDeals.Pick(_random)
                : type == "Prospect" ? ProspectDeals.Pick(_random)
                : partner ? PartnerDeals.Pick(_random) : OtherDeals.Pick(_random);
            var profile = _companies[a];
            for (var j = 0; j < opportunities; j++)
            {
                // Customers have won at least once; a prospect with a won deal would be a customer.
                var outcome = customer ? (j == 0 ? Won : (byte)LaterCustomerOutcome.Pick(_random))
                    : type == "Prospect" ? (byte)(Lost + ProspectOutcome.Pick(_random))
                    : (byte)OtherOutcome.Pick(_random);
                var closeDate = outcome == Open ? _today.AddDays(Between(1, 180)) : PastDay();
                var (min, max) = DealSizes[profile.Band];
                var amount = Math.Round((decimal)LogUniform(min, max) / 100m) * 100m;
                var (stage, probability) = outcome switch
                {
                    Won => ("Closed Won", Certain),
                    Lost => ("Closed Lost", Nil),
                    _ => OpenStages[OpenStageTable.Pick(_random)],
                };
                var name = $"{profile.Name} – {Pick(Products)}";
                fields["Name"] = name.Length > 120 ? name[..120] : name;
                fields["AccountId"] = _accountIds[a];
                fields["CampaignId"] = Chance(0.3) ? SourceCampaign(closeDate) : null;
                fields["Amount"] = amount;
                fields["StageName"] = stage;
                fields["CloseDate"] = Day(closeDate);
                fields["OwnerId"] = _userIds[_accountOwner[a]];
                fields["Probability"] = probability;
                fields["IsWon"] = outcome == Won ? True : False;
                fields["IsClosed"] = outcome == Open ? False : True;
                _sink.Insert("Opportunity", fields);
                count++;
            }
        }

        Report($"Opportunities: {count:N0}");
        return count;
    }

    /// <summary>A campaign that started two weeks to eight months before the close date, or null when none did.</summary>
    private string? SourceCampaign(DateOnly closeDate)
    {
        var from = LowerBound(_campaignStart, closeDate.DayNumber - 240);
        var to = Math.Min(LowerBound(_campaignStart, closeDate.DayNumber - 14), _startedCampaigns);
        return from < to ? _campaignIds[from + _random.Next(to - from)] : null;
    }

    /// <summary>Index of the first value not below <paramref name="value"/> in an ascending array.</summary>
    private static int LowerBound(int[] sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private int GenerateTasks()
    {
        Report("Tasks");
        var fields = new Dictionary<string, object?>(8, StringComparer.Ordinal);
        var count = 0;
        for (var i = 0; i < _leadIds.Length; i++)
        {
            // Leads nobody has contacted have no activity; worked leads have one or two, closed ones at most one.
            var tasks = _leadStatus[i] switch
            {
                OpenNotContacted => 0,
                WorkingContacted => Between(1, 2),
                _ => _random.Next(2),
            };
            for (var t = 0; t < tasks; t++)
            {
                InsertTask(fields, _leadIds[i], _leadOwner[i]);
            }

            count += tasks;
        }

        for (var c = 0; c < _contactIds.Length; c++)
        {
            var tasks = TasksPerContact.Pick(_random);
            for (var t = 0; t < tasks; t++)
            {
                InsertTask(fields, _contactIds[c], _contactOwner[c]);
            }

            count += tasks;
        }

        Report($"Tasks: {count:N0}");
        return count;
    }

    private void InsertTask(Dictionary<string, object?> fields, string whoId, int owner)
    {
        var call = Chance(0.55);
        var planned = Chance(0.08);
        var date = planned ? _today.AddDays(Between(1, 30)) : PastDay();
        fields["Subject"] = call ? Pick(CallSubjects) : Pick(EmailSubjects);
        fields["WhoId"] = whoId;
        fields["OwnerId"] = _userIds[owner];
        fields["ActivityDate"] = Day(date);
        fields["Status"] = planned ? "Not Started" : "Completed";
        fields["Priority"] = Priorities[PriorityTable.Pick(_random)];
        fields["TaskSubtype"] = call ? "Call" : "Email";
        fields["Type"] = call ? "Call" : "Email";
        _sink.Insert("Task", fields);
    }
}
