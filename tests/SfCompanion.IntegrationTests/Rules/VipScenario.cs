using SfCompanion.Emulator;
using SfCompanion.Rules;

namespace SfCompanion.IntegrationTests.Rules;

/// <summary>
/// An org built for the VIP walk-through (docs/rules.md): 1,000 contacts at client accounts, of which 400 at partners
/// or shareholders, 450 of the other 600 with a win in the last two years, 62 of the remaining 150 clients for three
/// years and not called or emailed for six months; plus 300 contacts at accounts that never won. One contact per account.
/// </summary>
internal static class VipScenario
{
    public const int Clients = 1_000;
    public const int NotPartners = 600;
    public const int RecentWinners = 450;
    public const int LoyalQuiet = 62;

    public static IReadOnlyList<RollupDefinition> Rollups { get; } =
    [
        new() { Name = "Won", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "SUM", Field = "Amount", Filter = "IsWon" },
        new() { Name = "Client_Since", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "MIN", Field = "CloseDate", Filter = "IsWon" },
        new()
        {
            Name = "Last_Touch", Object = "Contact", ChildObject = "Task", Relationship = "WhoId", Function = "MAX", Field = "ActivityDate",
            Filter = "ISPICKVAL(TaskSubtype, 'Call') || ISPICKVAL(TaskSubtype, 'Email')",
        },
    ];

    /// <summary>"Only wins of the last two years": the <c>Won</c> roll-up with a time window.</summary>
    public static RollupDefinition WonLast24Months { get; } = Rollups[0] with { Filter = "IsWon && CloseDate >= ADDMONTHS(TODAY(), -24)" };

    public static CriterionDefinition Client { get; } = new() { Name = "client", Formula = "Account.Won > 0" };

    public static CriterionDefinition NotPartner { get; } = new()
    {
        Name = "not-partner",
        Formula = "NOT(CONTAINS(TEXT(Account.Type), 'Partner') || ISPICKVAL(Account.Type, 'Shareholder'))",
    };

    public static CriterionDefinition LoyalQuietCriterion { get; } = new()
    {
        Name = "loyal-quiet",
        Formula = "Account.Client_Since <= ADDMONTHS(TODAY(), -36) && (ISBLANK(Last_Touch) || Last_Touch < ADDMONTHS(TODAY(), -6))",
    };

    public static RuleDefinition Draft(params CriterionDefinition[] criteria) => new() { Name = "vip", Object = "Contact", Criteria = criteria };

    /// <summary>The contact whose only win closes 23 months before the 15th of this month: its flag's review date is known.</summary>
    public static string WatchedContact { get; private set; } = "";

    public static string AccountOf(SalesforceEmulator org, string contact) => (string)org.Data.Query($"SELECT AccountId FROM Contact WHERE Id = '{contact}'")[0]["AccountId"]!;

    public static DateOnly WatchedWin(DateOnly today) => new DateOnly(today.Year, today.Month, 15).AddMonths(-23);

    public static void Insert(SalesforceEmulator org, DateOnly today)
    {
        var n = 0;
        string Account(string? type) => org.Data.Insert("Account", new Dictionary<string, object?> { ["Name"] = "Société " + n, ["Type"] = type });
        string Contact(string account) => org.Data.Insert("Contact", new Dictionary<string, object?>
        {
            ["AccountId"] = account, ["FirstName"] = "Camille", ["LastName"] = "Martin " + n, ["Email"] = $"camille.martin{n}@exemple.fr",
        });
        void Opportunity(string account, DateOnly close, string stage, decimal amount) => org.Data.Insert("Opportunity", new Dictionary<string, object?>
        {
            ["AccountId"] = account, ["Name"] = "Affaire " + n, ["StageName"] = stage, ["CloseDate"] = close.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["Amount"] = amount,
        });
        void Touch(string contact, DateOnly when, string subtype) => org.Data.Insert("Task", new Dictionary<string, object?>
        {
            ["WhoId"] = contact, ["Subject"] = subtype, ["TaskSubtype"] = subtype, ["ActivityDate"] = when.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["Status"] = "Completed",
        });

        // 400 partners and shareholders with recent wins: excluded by not-partner.
        for (var i = 0; i < 400; i++, n++)
        {
            var account = Account(i % 2 == 0 ? "Channel Partner / Reseller" : "Shareholder");
            Contact(account);
            Opportunity(account, today.AddMonths(-(i % 12)).AddDays(-3), "Closed Won", 20_000 + i);
        }

        // 450 clients with a win in the last 2 years (and an older one), some called recently.
        for (var i = 0; i < RecentWinners; i++, n++)
        {
            var account = Account(i % 3 == 0 ? "Customer - Direct" : "Customer - Channel");
            var contact = Contact(account);
            if (i == 0)
            {
                WatchedContact = contact;
                Opportunity(account, WatchedWin(today), "Closed Won", 75_000);
            }
            else
            {
                Opportunity(account, today.AddMonths(-(i % 20)).AddDays(-5), "Closed Won", 10_000 + (i * 10));
                Opportunity(account, today.AddMonths(-40), "Closed Won", 5_000);
            }

            if (i % 4 == 0)
            {
                Touch(contact, today.AddMonths(-1), "Call");
            }
        }

        // 62 clients for 3+ years, last win 25+ months ago, not called or emailed for 6 months.
        for (var i = 0; i < LoyalQuiet; i++, n++)
        {
            var account = Account("Customer - Direct");
            var contact = Contact(account);
            Opportunity(account, today.AddMonths(-38 - (i % 10)), "Closed Won", 30_000);
            Opportunity(account, today.AddMonths(-26), "Closed Won", 12_000);
            if (i % 2 == 0)
            {
                Touch(contact, today.AddMonths(-8), "Email");
            }

            // A recent task that is not a call or an email does not count as contact.
            Touch(contact, today.AddDays(-10), "Task");
        }

        // 88 other clients with only old wins: 40 clients for less than 3 years, 48 called within 6 months.
        for (var i = 0; i < 88; i++, n++)
        {
            var account = Account("Customer - Channel");
            var contact = Contact(account);
            if (i < 40)
            {
                Opportunity(account, today.AddMonths(-30), "Closed Won", 8_000);
            }
            else
            {
                Opportunity(account, today.AddMonths(-48), "Closed Won", 8_000);
                Touch(contact, today.AddMonths(-2), "Call");
            }
        }

        // 300 contacts at accounts that never won.
        for (var i = 0; i < 300; i++, n++)
        {
            var account = Account("Prospect");
            Contact(account);
            Opportunity(account, today.AddMonths(-(i % 30)), i % 2 == 0 ? "Closed Lost" : "Prospecting", 15_000);
        }
    }
}
