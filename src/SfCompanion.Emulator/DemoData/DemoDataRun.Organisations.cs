using System.Globalization;

namespace SfCompanion.Emulator.DemoData;

/// <summary>Users of the org, and the companies (accounts, and the companies leads work for).</summary>
internal sealed partial class DemoDataRun
{
    private const string OrgDomain = "nuvalia.fr";

    private static readonly string[] BrandRoots =
    [
        "Axe", "Nova", "Alti", "Cali", "Dyna", "Equi", "Flexi", "Galva", "Helio", "Kali", "Lumi", "Meri", "Neo", "Opti", "Poly",
        "Quanti", "Sola", "Tela", "Vera", "Zeni", "Arca", "Cogni", "Digi", "Eco", "Fidu", "Geo", "Hydro", "Info", "Logi", "Mobi",
        "Numeri", "Orbi", "Praxi", "Senti", "Terra", "Valo", "Vita", "Agri", "Bati", "Medi", "Techno", "Trans", "Indus", "Proxi",
        "Syner", "Alpha", "Omni", "Inno", "Acti", "Clari",
    ];

    private static readonly string[] BrandSuffixes =
    [
        "a", "ys", "on", "is", "ia", "tec", "soft", "log", "com", "net", "data", "gence", "lia", "nova", "line", "sys", "tis",
        "via", "lab", "core", "link", "ance", "eo", "ium", "ora",
    ];

    private static readonly string[] AccountTypes =
        ["Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Technology Partner", "Other"];

    private static readonly WeightedTable AccountTypeTable = new(50, 27, 6, 5, 3, 9);

    // Company size bands: TPE (under 10 people), PME (under 250), ETI (under 5,000), large companies.
    private static readonly (int Min, int Max)[] SizeBands = [(1, 9), (10, 249), (250, 4_999), (5_000, 60_000)];
    private static readonly WeightedTable SizeBandTable = new(30, 48, 18, 4);
    private static readonly int[] SizeBandPopularity = [1, 3, 8, 20];

    private static readonly WeightedTable EmailPatternTable = new(62, 20, 8, 10);

    private string[] _userIds = [];
    private bool[] _userActive = [];
    private int[] _salesReps = [];
    private int[] _marketers = [];

    private CompanyProfile[] _companies = [];
    private int _accountCount;
    private string[] _accountIds = [];
    private int[] _accountOwner = [];
    private byte[] _accountType = [];
    private WeightedTable _accountCompanyTable = null!;
    private WeightedTable _leadCompanyTable = null!;

    private int GenerateUsers()
    {
        var count = Math.Clamp(_leadCount / 500, 5, 200);
        var marketers = Math.Max(1, count / 4);
        var reps = count - 1 - marketers;
        Report($"Users: {count}");

        // Index 0 is the sales director, then marketers, then sales reps.
        var roles = new byte[count];
        for (var i = 1; i < count; i++)
        {
            roles[i] = i <= marketers ? (byte)1 : (byte)2;
        }

        // People who left keep their records: a few reps, and a marketer in larger orgs.
        var active = Enumerable.Repeat(true, count).ToArray();
        DeactivateSome(active, 1 + marketers, reps, Math.Max(1, reps / 8));
        DeactivateSome(active, 1, marketers, marketers / 6);

        _userIds = new string[count];
        _userActive = active;
        var salesTitles = WeightedTable.Of(FrenchReferenceData.SalesTitles, t => t.Weight);
        var marketingTitles = WeightedTable.Of(FrenchReferenceData.MarketingTitles, t => t.Weight);
        var usernames = new HashSet<string>(StringComparer.Ordinal);
        var fields = new Dictionary<string, object?>(7, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var feminine = Chance(0.5);
            int first, last;
            string local;
            do
            {
                first = PickFirstName(feminine);
                last = _lastNameTable.Pick(_random);
                local = string.Concat(_firstSlugs[first], ".", _lastSlugs[last]);
            }
            while (!usernames.Add(local));

            var title = roles[i] switch
            {
                0 => FrenchReferenceData.SalesDirectorTitle,
                1 => FrenchReferenceData.MarketingTitles[marketingTitles.Pick(_random)],
                _ => FrenchReferenceData.SalesTitles[salesTitles.Pick(_random)],
            };
            var alias = string.Concat(_firstInitials[first], _lastSlugs[last]);
            fields["Username"] = $"{local}@{OrgDomain}.demo";
            fields["FirstName"] = _firstNames[first];
            fields["LastName"] = FrenchReferenceData.LastNames[last];
            fields["Email"] = $"{local}@{OrgDomain}";
            fields["IsActive"] = active[i] ? True : False;
            fields["Title"] = title.For(feminine);
            fields["Alias"] = alias.Length > 8 ? alias[..8] : alias;
            _userIds[i] = _sink.Insert("User", fields);
        }

        _salesReps = [.. Enumerable.Range(0, count).Where(i => roles[i] == 2)];
        _marketers = [.. Enumerable.Range(0, count).Where(i => roles[i] == 1)];
        return count;
    }

    private void DeactivateSome(bool[] active, int start, int length, int howMany)
    {
        var candidates = Enumerable.Range(start, length).ToArray();
        _random.Shuffle(candidates);
        foreach (var index in candidates.AsSpan(0, Math.Min(howMany, length)))
        {
            active[index] = false;
        }
    }

    /// <summary>Builds accounts first, then the companies only leads work for; nothing is inserted here.</summary>
    private void GenerateCompanies()
    {
        _accountCount = Math.Max(50, _leadCount / 25);
        var leadCompanies = Math.Max(50, _leadCount / 20);
        _companies = new CompanyProfile[_accountCount + leadCompanies];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var domains = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _companies.Length; i++)
        {
            _companies[i] = NewCompany(names, domains);
        }

        var popularity = Array.ConvertAll(_companies, c => SizeBandPopularity[c.Band]);
        _accountCompanyTable = new WeightedTable(popularity.AsSpan(0, _accountCount));
        _leadCompanyTable = new WeightedTable(popularity.AsSpan(_accountCount));
    }

    private CompanyProfile NewCompany(HashSet<string> names, HashSet<string> domains)
    {
        var naf = _nafTable.Pick(_random);
        var activity = FrenchReferenceData.NafActivities[naf];
        var city = _cityTable.Pick(_random);
        var cityInfo = FrenchReferenceData.Cities[city];
        var band = (byte)SizeBandTable.Pick(_random);
        var (min, max) = SizeBands[band];
        var employees = (int)Math.Round(LogUniform(min, max));
        var revenuePerEmployee = Between(60, 260) * 1_000m;
        var revenue = Math.Max(50_000m, Math.Round(employees * revenuePerEmployee / 10_000m) * 10_000m);

        string name;
        var attempts = 0;
        do
        {
            name = CompanyName(activity);
            if (++attempts > 8)
            {
                // The name space is finite; namesakes in other cities are told apart by their city, as branches are.
                name = $"{name} {cityInfo.Name}";
                for (var n = 2; names.Contains(name); n++)
                {
                    name = string.Create(CultureInfo.InvariantCulture, $"{CompanyName(activity)} {cityInfo.Name} {n}");
                }
            }
        }
        while (!names.Add(name));

        var tld = activity.Industry == "Technology"
            ? Pick(["fr", "fr", "fr", "com", "com", "io", "eu"])
            : Pick(["fr", "fr", "fr", "fr", "com", "eu"]);
        var slug = DomainSlug(name);
        if (slug.Length > 40)
        {
            slug = slug[..40].TrimEnd('-');
        }

        var domain = $"{slug}.{tld}";
        for (var n = 2; !domains.Add(domain); n++)
        {
            domain = string.Create(CultureInfo.InvariantCulture, $"{slug}{n}.{tld}");
        }

        return new CompanyProfile(name, domain, naf, city, Pick(cityInfo.PostalCodes), band, (byte)EmailPatternTable.Pick(_random), employees, revenue);
    }

    private string CompanyName(NafActivity activity)
    {
        var sector = activity.SectorWords[_random.Next(activity.SectorWords.Count)];
        var brand = string.Concat(Pick(BrandRoots), Pick(BrandSuffixes));
        var lastName = FrenchReferenceData.LastNames[_lastNameTable.Pick(_random)];
        var professional = activity.Industry is "Consulting" or "Finance" or "Insurance";
        switch (_random.Next(100))
        {
            case < 20:
                return brand;
            case < 45:
                return $"{brand} {sector}";
            case < 50:
                return $"Groupe {brand}";
            case < 62:
                return $"{lastName} {sector}";
            case < 66 when professional:
                return $"Cabinet {lastName}";
            case < 66 when activity.Industry != "Technology":
                return $"Établissements {lastName}";
            default:
                Span<char> acronym = stackalloc char[3];
                for (var i = 0; i < acronym.Length; i++)
                {
                    acronym[i] = (char)('A' + _random.Next(26));
                }

                return $"{acronym} {sector}";
        }
    }

    private int InsertAccounts()
    {
        Report($"Accounts: {_accountCount:N0}");
        _accountIds = new string[_accountCount];
        _accountOwner = new int[_accountCount];
        _accountType = new byte[_accountCount];
        var fields = new Dictionary<string, object?>(12, StringComparer.Ordinal);
        for (var i = 0; i < _accountCount; i++)
        {
            var company = _companies[i];
            var activity = FrenchReferenceData.NafActivities[company.Naf];
            var owner = Pick(_salesReps);
            var type = (byte)AccountTypeTable.Pick(_random);
            fields["Name"] = company.Name;
            fields["Industry"] = activity.Industry;
            fields["NumberOfEmployees"] = company.Employees;
            fields["AnnualRevenue"] = company.Revenue;
            fields["BillingCity"] = FrenchReferenceData.Cities[company.City].Name;
            fields["BillingPostalCode"] = company.PostalCode;
            fields["BillingCountry"] = "France";
            fields["Sic"] = activity.Code;
            fields["SicDesc"] = activity.Description;
            fields["Type"] = AccountTypes[type];
            fields["OwnerId"] = _userIds[owner];
            fields["Website"] = company.Website;
            _accountIds[i] = _sink.Insert("Account", fields);
            _accountOwner[i] = owner;
            _accountType[i] = type;
        }

        return _accountCount;
    }

    /// <summary>A company as leads and accounts describe it; figures are boxed once and shared by every record that mentions them.</summary>
    private sealed class CompanyProfile(string name, string domain, int naf, int city, string postalCode, byte band, byte emailPattern, int employees, decimal revenue)
    {
        public string Name { get; } = name;

        public string Domain { get; } = domain;

        public string Website => string.Concat("www.", Domain);

        public int Naf { get; } = naf;

        public int City { get; } = city;

        public string PostalCode { get; } = postalCode;

        public byte Band { get; } = band;

        public byte EmailPattern { get; } = emailPattern;

        public object Employees { get; } = employees;

        public object Revenue { get; } = revenue;
    }
}
