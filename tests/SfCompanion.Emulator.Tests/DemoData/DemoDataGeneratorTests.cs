using System.Globalization;
using System.Text.RegularExpressions;
using SfCompanion.Emulator.DemoData;

namespace SfCompanion.Emulator.Tests.DemoData;

public sealed class GeneratedOrgFixture
{
    public static readonly DateTimeOffset Now = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);

    public GeneratedOrgFixture()
    {
        Summary = DemoDataGenerator.Generate(Sink, new DemoDataOptions { Leads = 10_000, Seed = 42, Now = Now });
    }

    internal RecordingSink Sink { get; } = new();

    public DemoDataSummary Summary { get; }

    public static DateOnly Today => DateOnly.FromDateTime(Now.DateTime);
}

public sealed partial class DemoDataGeneratorTests(GeneratedOrgFixture org) : IClassFixture<GeneratedOrgFixture>
{
    private static readonly string[] DependencyOrder =
        ["User", "Account", "Campaign", "CampaignMemberStatus", "Lead", "Contact", "CampaignMember", "Opportunity", "Task"];

    private RecordingSink Sink => org.Sink;

    [Fact]
    public void SameSeed_ProducesIdenticalRecords()
    {
        var first = Run(seed: 7);
        var second = Run(seed: 7);

        Assert.Equal(first.Records.Count, second.Records.Count);
        Assert.Equal(first.Records.Select(r => r.Describe()), second.Records.Select(r => r.Describe()));
    }

    [Fact]
    public void SameSeed_ProducesIdenticalRecordsWhateverTheCurrentCulture()
    {
        var invariant = RunInCulture(CultureInfo.InvariantCulture);
        var arabic = RunInCulture(CultureInfo.GetCultureInfo("ar-SA"));

        Assert.Equal(invariant.Records.Select(r => r.Describe()), arabic.Records.Select(r => r.Describe()));

        static RecordingSink RunInCulture(CultureInfo culture)
        {
            var previous = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = culture;
            try
            {
                return Run(seed: 11);
            }
            finally
            {
                CultureInfo.CurrentCulture = previous;
            }
        }
    }

    [Fact]
    public void DifferentSeed_ProducesDifferentRecords()
    {
        var first = Run(seed: 7);
        var second = Run(seed: 8);

        Assert.NotEqual(first.OfType("Lead").Select(r => r.Text("Email")), second.OfType("Lead").Select(r => r.Text("Email")));
    }

    [Fact]
    public void Summary_MatchesWhatTheSinkReceived()
    {
        foreach (var (type, count) in org.Summary.CountsByObject)
        {
            Assert.Equal(Sink.OfType(type).Count(), count);
        }

        Assert.Equal(Sink.Records.Count, org.Summary.Total);
        Assert.Equal(10_000, org.Summary.Leads);
    }

    [Fact]
    public void Counts_ScaleWithTheNumberOfLeads()
    {
        var small = DemoDataGenerator.Generate(new RecordingSink(), Options(1_000, seed: 3));
        var large = DemoDataGenerator.Generate(new RecordingSink(), Options(50_000, seed: 3));

        Assert.Equal(1_000, small.Leads);
        Assert.Equal(50_000, large.Leads);
        Assert.Equal(5, small.Users);
        Assert.Equal(100, large.Users);
        Assert.Equal(300, small.Contacts);
        Assert.Equal(15_000, large.Contacts);
        Assert.True(large.Accounts > small.Accounts * 10, $"{small.Accounts} then {large.Accounts} accounts");
        Assert.True(large.Opportunities > small.Opportunities * 10, $"{small.Opportunities} then {large.Opportunities} opportunities");
        Assert.True(large.Tasks > small.Tasks * 20, $"{small.Tasks} then {large.Tasks} tasks");
        Assert.True(large.CampaignMembers > small.CampaignMembers * 20, $"{small.CampaignMembers} then {large.CampaignMembers} members");
        Assert.Equal(large.Campaigns * 4, large.CampaignMemberStatuses);
    }

    [Fact]
    public void Users_AreCappedAt200()
    {
        var sink = new RecordingSink();

        // Users are inserted first, so stopping the run right after them keeps the test fast.
        Assert.Throws<StopGeneration>(() => DemoDataGenerator.Generate(new StopAtSink(sink, "Account"), Options(DemoDataOptions.MaxLeads, seed: 1)));

        Assert.Equal(200, sink.OfType("User").Count());
    }

    [Theory]
    [InlineData(999)]
    [InlineData(1_000_001)]
    public void Generate_LeadsOutOfRange_Throws(int leads) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoDataGenerator.Generate(new RecordingSink(), Options(leads, seed: 1)));

    [Fact]
    public void Generate_WithoutNow_Throws() =>
        Assert.Throws<ArgumentException>(() => DemoDataGenerator.Generate(new RecordingSink(), new DemoDataOptions { Leads = 1_000 }));

    [Fact]
    public void Records_ArriveInDependencyOrder()
    {
        var ranks = Sink.Records.Select(r => Array.IndexOf(DependencyOrder, r.Type)).ToList();

        Assert.DoesNotContain(-1, ranks);
        Assert.Equal(ranks.Order(), ranks);
        Assert.Equal(DependencyOrder, ranks.Distinct().Select(i => DependencyOrder[i]));
    }

    [Fact]
    public void References_PointToEarlierRecordsOfTheRightType()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["OwnerId"] = ["User"], ["AccountId"] = ["Account"], ["CampaignId"] = ["Campaign"], ["LeadId"] = ["Lead"],
            ["ContactId"] = ["Contact"], ["WhoId"] = ["Lead", "Contact"],
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var checkedReferences = 0;
        foreach (var record in Sink.Records)
        {
            foreach (var (field, targets) in expected)
            {
                if (record.Fields.TryGetValue(field, out var value) && value is string id)
                {
                    Assert.True(seen.Contains(id), $"{record.Type}.{field} = {id} was not returned before");
                    Assert.Contains(Sink.Find(id)!.Type, targets);
                    checkedReferences++;
                }
            }

            seen.Add(record.Id);
        }

        Assert.True(checkedReferences > Sink.Records.Count / 2);
        Assert.All(Sink.OfType("CampaignMember"), m => Assert.True(m.Fields.ContainsKey("LeadId") ^ m.Fields.ContainsKey("ContactId")));
    }

    [Fact]
    public void Values_HaveSupportedTypesAndFitSalesforceFieldLengths()
    {
        var supported = new[] { typeof(string), typeof(bool), typeof(int), typeof(decimal), typeof(DateTimeOffset), typeof(DateOnly) };
        Assert.All(Sink.Records.SelectMany(r => r.Fields.Values), v => Assert.True(v is null || supported.Contains(v.GetType()), v?.GetType().Name));

        var limits = new (string Type, string Field, int Max)[]
        {
            ("User", "Alias", 8), ("User", "Title", 80), ("User", "Username", 80), ("Account", "SicDesc", 80), ("Account", "Sic", 20),
            ("Account", "BillingCity", 40), ("Campaign", "Name", 80), ("Opportunity", "Name", 120), ("Lead", "Email", 80),
            ("Lead", "City", 40), ("Contact", "Email", 80), ("Lead", "Title", 128),
        };
        foreach (var (type, field, max) in limits)
        {
            Assert.All(Sink.OfType(type), r => Assert.True((r.Text(field)?.Length ?? 0) <= max, $"{type}.{field}: {r.Text(field)}"));
        }
    }

    [Fact]
    public void Titles_AgreeWithTheGenderOfTheFirstName()
    {
        var masculine = FrenchReferenceData.ProspectTitles.Concat(FrenchReferenceData.SalesTitles).Concat(FrenchReferenceData.MarketingTitles)
            .Append(FrenchReferenceData.SalesDirectorTitle).Select(t => t.Masculine).ToHashSet();
        var feminine = FrenchReferenceData.ProspectTitles.Concat(FrenchReferenceData.SalesTitles).Concat(FrenchReferenceData.MarketingTitles)
            .Append(FrenchReferenceData.SalesDirectorTitle).Select(t => t.Feminine).ToHashSet();
        var people = Sink.OfType("Lead").Concat(Sink.OfType("Contact")).Concat(Sink.OfType("User")).ToList();

        Assert.All(people, p =>
        {
            var title = p.Text("Title")!;
            Assert.Contains(title, FrenchReferenceData.IsFeminineFirstName(p.Text("FirstName")!) ? feminine : masculine);
        });
        Assert.Contains(people, p => p.Text("Title") == "Directrice commerciale");
        Assert.Contains(people, p => p.Text("Title") == "Directeur commercial");
        Assert.Contains(people, p => p.Text("Title") == "Développeuse");
        Assert.Contains(people, p => p.Text("Title") == "Responsable marketing");
    }

    [Fact]
    public void OptedOutPeople_AreAFewPercent()
    {
        var people = Sink.OfType("Lead").Concat(Sink.OfType("Contact")).ToList();
        var emailShare = people.Count(p => p["HasOptedOutOfEmail"] is true) / (double)people.Count;
        var callShare = people.Count(p => p["DoNotCall"] is true) / (double)people.Count;

        Assert.InRange(emailShare, 0.03, 0.05);
        Assert.InRange(callShare, 0.025, 0.05);
    }

    [Fact]
    public void InactiveUsers_StillOwnRecords()
    {
        var inactive = Sink.OfType("User").Where(u => u["IsActive"] is false).Select(u => u.Id).ToHashSet();
        var owned = Sink.Records.Where(r => r.Fields.TryGetValue("OwnerId", out var owner) && inactive.Contains((string)owner!)).ToList();

        Assert.Equal(org.Summary.InactiveUsers, inactive.Count);
        Assert.NotEmpty(inactive);
        Assert.Contains(owned, r => r.Type == "Lead");
        Assert.Contains(owned, r => r.Type == "Account");
        Assert.Contains(owned, r => r.Type == "Contact");
        Assert.Contains(Sink.OfType("User"), u => u["IsActive"] is true && u.Text("Title")!.Contains("marketing", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void CampaignMembers_UseStatusesOfTheirCampaign()
    {
        var statuses = Sink.OfType("CampaignMemberStatus").ToLookup(s => s.Text("CampaignId")!);
        var members = Sink.OfType("CampaignMember").ToList();

        Assert.All(Sink.OfType("Campaign"), c =>
        {
            var own = statuses[c.Id].ToList();
            Assert.Single(own, s => s["IsDefault"] is true);
            Assert.Equal(["Sent", "Opened", "Clicked", "Responded"], own.OrderBy(s => (int)s["SortOrder"]!).Select(s => s.Text("Label")));
            Assert.Equal([false, false, true, true], own.OrderBy(s => (int)s["SortOrder"]!).Select(s => (bool)s["HasResponded"]!));
        });
        Assert.All(members, m => Assert.Contains(m.Text("Status"), statuses[m.Text("CampaignId")!].Select(s => s.Text("Label"))));
        Assert.Contains(members, m => m.Text("Status") == "Clicked");
        Assert.Contains(members, m => m.Fields.ContainsKey("ContactId"));
    }

    [Fact]
    public void CampaignMembers_AreAFewPerPersonAndNeverRepeated()
    {
        var byPerson = Sink.OfType("CampaignMember").GroupBy(m => m.Text(m.Fields.ContainsKey("LeadId") ? "LeadId" : "ContactId")).ToList();

        Assert.All(byPerson, g => Assert.InRange(g.Count(), 1, 3));
        Assert.All(byPerson, g => Assert.Equal(g.Count(), g.Select(m => m.Text("CampaignId")).Distinct().Count()));
    }

    [Fact]
    public void CampaignMembers_OnlyJoinCampaignsThatStarted()
    {
        var campaigns = Sink.OfType("Campaign").ToDictionary(c => c.Id);

        Assert.All(Sink.OfType("CampaignMember"), m => Assert.True((DateOnly)campaigns[m.Text("CampaignId")!]["StartDate"]! <= GeneratedOrgFixture.Today));
    }

    [Fact]
    public void Leads_IncludeAboutOnePercentDuplicates()
    {
        var leads = Sink.OfType("Lead").ToList();
        var repeated = leads.GroupBy(l => l.Text("Email")).Where(g => g.Count() > 1).ToList();

        Assert.Equal(org.Summary.DuplicateLeads, repeated.Count);
        Assert.InRange(repeated.Count / (double)leads.Count, 0.005, 0.015);
        Assert.All(repeated, g =>
        {
            Assert.Equal(2, g.Count());
            Assert.Single(g.Select(l => (l.Text("FirstName"), l.Text("LastName"), l.Text("Company"))).Distinct());
        });
        Assert.Equal(Sink.OfType("Contact").Count(), Sink.OfType("Contact").Select(c => c.Text("Email")).Distinct().Count());
    }

    [Fact]
    public void Emails_ComeFromNamesAndCompanyDomains()
    {
        var accounts = Sink.OfType("Account").ToDictionary(a => a.Id);

        Assert.All(Sink.OfType("Contact"), c =>
        {
            var email = c.Text("Email")!;
            var website = accounts[c.Text("AccountId")!].Text("Website")!;
            Assert.EndsWith("@" + website["www.".Length..], email, StringComparison.Ordinal);
            Assert.Matches("^[a-z0-9.]+@[a-z0-9.-]+$", email);
        });
        Assert.Contains(Sink.OfType("Lead"), l => l.Text("Email")!.StartsWith(
            $"{Ascii(l.Text("FirstName")!)}.{Ascii(l.Text("LastName")!)}", StringComparison.Ordinal));
    }

    [Fact]
    public void PhoneNumbers_AreFrench()
    {
        var phones = Sink.OfType("Lead").Concat(Sink.OfType("Contact"))
            .SelectMany(p => new[] { p.Text("Phone"), p.Text("MobilePhone") }).OfType<string>().ToList();

        Assert.All(phones, p => Assert.Matches(FrenchPhone(), p));
        Assert.Contains(phones, p => p.StartsWith("+33 6 ", StringComparison.Ordinal));
        Assert.Contains(phones, p => p.StartsWith("+33 1 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Accounts_CarryNafCodesWithMatchingDescriptionAndIndustry()
    {
        var activities = FrenchReferenceData.NafActivities.ToDictionary(a => a.Code);
        var accounts = Sink.OfType("Account").ToList();

        Assert.All(accounts, a =>
        {
            var activity = activities[a.Text("Sic")!];
            Assert.Equal(activity.Description, a.Text("SicDesc"));
            Assert.Equal(activity.Industry, a.Text("Industry"));
            Assert.InRange((int)a["NumberOfEmployees"]!, 1, 60_000);
            Assert.True((decimal)a["AnnualRevenue"]! >= 50_000m);
        });
        foreach (var code in new[] { "5829C", "6201Z", "6202A" })
        {
            Assert.Contains(accounts, a => a.Text("Sic") == code);
        }

        Assert.True(accounts.Select(a => a.Text("Sic")).Distinct().Count() > 30);
        Assert.True(accounts.Select(a => a.Text("BillingCity")).Distinct().Count() > 20);
        Assert.Equal(accounts.Count, accounts.Select(a => a.Text("Name")).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains(accounts, a => a.Text("Type") == "Customer - Direct");
        Assert.Contains(accounts, a => a.Text("Type") == "Prospect");
    }

    [Fact]
    public void Opportunities_HaveConsistentStagesAndDatesOverThreeYears()
    {
        var today = GeneratedOrgFixture.Today;
        var campaigns = Sink.OfType("Campaign").ToDictionary(c => c.Id);
        var opportunities = Sink.OfType("Opportunity").ToList();

        Assert.All(opportunities, o =>
        {
            var stage = o.Text("StageName");
            var closeDate = (DateOnly)o["CloseDate"]!;
            Assert.Equal(stage == "Closed Won", o["IsWon"] is true);
            Assert.Equal(stage is "Closed Won" or "Closed Lost", o["IsClosed"] is true);
            if (o["IsClosed"] is true)
            {
                Assert.InRange(closeDate, today.AddYears(-3), today);
            }
            else
            {
                Assert.True(closeDate > today);
            }

            Assert.True((decimal)o["Amount"]! > 0m);
            if (o["CampaignId"] is string campaignId)
            {
                Assert.True((DateOnly)campaigns[campaignId]["StartDate"]! < closeDate);
            }
        });
        Assert.Contains(opportunities, o => o.Text("StageName") == "Closed Won");
        Assert.Contains(opportunities, o => o.Text("StageName") == "Closed Lost");
        Assert.Contains(opportunities, o => o["IsClosed"] is false);
        Assert.Contains(opportunities, o => o["CampaignId"] is not null);

        // Every customer has won at least once.
        var winners = opportunities.Where(o => o["IsWon"] is true).Select(o => o.Text("AccountId")).ToHashSet();
        Assert.All(Sink.OfType("Account").Where(a => a.Text("Type")!.StartsWith("Customer", StringComparison.Ordinal)), a => Assert.Contains(a.Id, winners));
    }

    [Fact]
    public void Campaigns_SpanThreeYearsWithCosts()
    {
        var today = GeneratedOrgFixture.Today;
        var campaigns = Sink.OfType("Campaign").ToList();

        Assert.All(campaigns, c =>
        {
            var start = (DateOnly)c["StartDate"]!;
            Assert.InRange(start, today.AddYears(-3), today.AddDays(60));
            Assert.True((DateOnly)c["EndDate"]! >= start);
            Assert.True((decimal)c["BudgetedCost"]! > 0m);
            Assert.Equal(c.Text("Status") == "Planned", c["ActualCost"] is null);
            Assert.Contains(c.Text("Type"), new[] { "Email", "Webinar", "Trade Show" });
        });
        Assert.Contains(campaigns, c => c.Text("Name")!.StartsWith("Salon ", StringComparison.Ordinal));
        Assert.Contains(campaigns, c => c.Text("Type") == "Webinar");
        Assert.True((DateOnly)campaigns.Min(c => c["StartDate"])! < today.AddYears(-2));
    }

    [Fact]
    public void Tasks_AreCallsAndEmailsOverThePeriod()
    {
        var today = GeneratedOrgFixture.Today;
        var tasks = Sink.OfType("Task").ToList();

        Assert.All(tasks, t =>
        {
            var date = (DateOnly)t["ActivityDate"]!;
            Assert.InRange(date, today.AddYears(-3), today.AddDays(30));
            Assert.Equal(date > today ? "Not Started" : "Completed", t.Text("Status"));
            Assert.Contains(t.Text("TaskSubtype"), new[] { "Call", "Email" });
        });
        Assert.Contains(tasks, t => t.Text("WhoId")!.StartsWith("00Q", StringComparison.Ordinal));
        Assert.Contains(tasks, t => t.Text("WhoId")!.StartsWith("003", StringComparison.Ordinal));
        Assert.True(tasks.Min(t => (DateOnly)t["ActivityDate"]!) < today.AddYears(-2));
    }

    private static RecordingSink Run(int seed)
    {
        var sink = new RecordingSink();
        DemoDataGenerator.Generate(sink, Options(1_000, seed));
        return sink;
    }

    private static DemoDataOptions Options(int leads, int seed) => new() { Leads = leads, Seed = seed, Now = GeneratedOrgFixture.Now };

    private static string Ascii(string name) =>
        new([.. name.Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetter).Select(char.ToLowerInvariant)]);

    [GeneratedRegex(@"^\+33 [1-7]( \d\d){4}$")]
    private static partial Regex FrenchPhone();

    private sealed class StopGeneration : Exception;

    private sealed class StopAtSink(RecordingSink inner, string stopAt) : IDemoDataSink
    {
        public string Insert(string sobjectType, IReadOnlyDictionary<string, object?> fields) =>
            sobjectType == stopAt ? throw new StopGeneration() : inner.Insert(sobjectType, fields);
    }
}
