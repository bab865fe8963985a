namespace SfCompanion.Emulator.DemoData;

/// <summary>Leads (with duplicates and opt-outs) and the contacts of accounts.</summary>
internal sealed partial class DemoDataRun
{
    private const double FeminineShare = 0.46;
    private const double DuplicateShare = 0.01;
    private const double EmailOptOutShare = 0.04;
    private const double ContactsPerLead = 0.3;

    private const byte OpenNotContacted = 0;
    private const byte WorkingContacted = 1;

    private static readonly string[] LeadStatuses = ["Open - Not Contacted", "Working - Contacted", "Closed - Not Converted"];
    private static readonly WeightedTable LeadStatusTable = new(45, 35, 20);

    private static readonly string?[] Ratings = ["Hot", "Warm", "Cold", null];
    private static readonly WeightedTable RatingTable = new(10, 30, 40, 20);

    private static readonly string[] LeadSources =
        ["Web", "Purchased List", "Trade Show", "Partner Referral", "Phone Inquiry", "Employee Referral", "Advertisement", "Other"];

    private static readonly WeightedTable LeadSourceTable = new(35, 20, 12, 8, 8, 5, 5, 7);

    private string[] _leadIds = [];
    private int[] _leadOwner = [];
    private byte[] _leadStatus = [];
    private string[] _contactIds = [];
    private int[] _contactOwner = [];

    private (int Leads, int Duplicates) GenerateLeads()
    {
        Report($"Leads: {_leadCount:N0}");
        var n = _leadCount;
        _leadIds = new string[n];
        _leadOwner = new int[n];
        _leadStatus = new byte[n];

        // What a later duplicate copies: who the person is and where they work.
        var firstNames = new short[n];
        var lastNames = new short[n];
        var titles = new byte[n];
        var companies = new int[n];
        var emails = new string[n];
        var repeated = new bool[n];
        var duplicates = 0;

        var fields = new Dictionary<string, object?>(19, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            // A duplicate is the same person entered again later (another trade show list, a web form), never a third time.
            var source = i >= 100 && Chance(DuplicateShare) ? _random.Next(i) : -1;
            var isDuplicate = source >= 0 && !repeated[source];
            if (isDuplicate)
            {
                repeated[source] = repeated[i] = true;
                firstNames[i] = firstNames[source];
                lastNames[i] = lastNames[source];
                titles[i] = titles[source];
                companies[i] = companies[source];
                emails[i] = emails[source];
                duplicates++;
            }
            else
            {
                var company = Chance(0.25) ? _accountCompanyTable.Pick(_random) : _accountCount + _leadCompanyTable.Pick(_random);
                var first = PickFirstName(Chance(FeminineShare));
                var last = _lastNameTable.Pick(_random);
                firstNames[i] = (short)first;
                lastNames[i] = (short)last;
                titles[i] = (byte)_prospectTitleTable.Pick(_random);
                companies[i] = company;
                emails[i] = Email(first, last, _companies[company].EmailPattern, _companies[company].Domain);
            }

            var profile = _companies[companies[i]];
            var activity = FrenchReferenceData.NafActivities[profile.Naf];
            var status = isDuplicate ? OpenNotContacted : (byte)LeadStatusTable.Pick(_random);
            var owner = Pick(_salesReps);
            var optedOut = Chance(EmailOptOutShare);
            fields["FirstName"] = _firstNames[firstNames[i]];
            fields["LastName"] = FrenchReferenceData.LastNames[lastNames[i]];
            fields["Company"] = profile.Name;
            fields["Title"] = FrenchReferenceData.ProspectTitles[titles[i]].For(IsFeminine(firstNames[i]));
            fields["Email"] = emails[i];
            fields["Phone"] = Chance(0.92) ? PhoneNumber(_phoneZone[profile.City]) : null;
            fields["MobilePhone"] = Chance(0.55) ? MobileNumber() : null;
            fields["City"] = FrenchReferenceData.Cities[profile.City].Name;
            fields["PostalCode"] = profile.PostalCode;
            fields["Country"] = "France";
            fields["Industry"] = activity.Industry;
            fields["NumberOfEmployees"] = profile.Employees;
            fields["AnnualRevenue"] = profile.Revenue;
            fields["LeadSource"] = LeadSources[LeadSourceTable.Pick(_random)];
            fields["Status"] = LeadStatuses[status];
            fields["Rating"] = Ratings[RatingTable.Pick(_random)];
            fields["OwnerId"] = _userIds[owner];
            fields["HasOptedOutOfEmail"] = optedOut ? True : False;
            fields["DoNotCall"] = Chance(optedOut ? 0.4 : 0.02) ? True : False;
            _leadIds[i] = _sink.Insert("Lead", fields);
            _leadOwner[i] = owner;
            _leadStatus[i] = status;
            ReportEvery("Leads", i + 1, n);
        }

        return (n, duplicates);
    }

    private int GenerateContacts()
    {
        var total = (int)Math.Round(_leadCount * ContactsPerLead);
        Report($"Contacts: {total:N0}");

        // Every account gets a contact when there are enough; bigger companies get more of the rest.
        var perAccount = new int[_accountCount];
        var assigned = 0;
        for (var a = 0; a < _accountCount && assigned < total; a++, assigned++)
        {
            perAccount[a] = 1;
        }

        for (; assigned < total; assigned++)
        {
            perAccount[_accountCompanyTable.Pick(_random)]++;
        }

        _contactIds = new string[total];
        _contactOwner = new int[total];
        var fields = new Dictionary<string, object?>(13, StringComparer.Ordinal);
        var c = 0;
        for (var a = 0; a < _accountCount; a++)
        {
            var profile = _companies[a];
            for (var k = 0; k < perAccount[a]; k++, c++)
            {
                var feminine = Chance(FeminineShare);
                var first = PickFirstName(feminine);
                var last = _lastNameTable.Pick(_random);
                var city = Chance(0.85) ? profile.City : _cityTable.Pick(_random);
                var owner = Chance(0.85) ? _accountOwner[a] : Pick(_salesReps);
                var optedOut = Chance(EmailOptOutShare);
                fields["AccountId"] = _accountIds[a];
                fields["FirstName"] = _firstNames[first];
                fields["LastName"] = FrenchReferenceData.LastNames[last];
                fields["Title"] = FrenchReferenceData.ProspectTitles[_prospectTitleTable.Pick(_random)].For(feminine);
                fields["Email"] = Email(first, last, profile.EmailPattern, profile.Domain);
                fields["Phone"] = Chance(0.9) ? PhoneNumber(_phoneZone[city]) : null;
                fields["MobilePhone"] = Chance(0.6) ? MobileNumber() : null;
                fields["MailingCity"] = FrenchReferenceData.Cities[city].Name;
                fields["MailingPostalCode"] = city == profile.City ? profile.PostalCode : Pick(FrenchReferenceData.Cities[city].PostalCodes);
                fields["MailingCountry"] = "France";
                fields["OwnerId"] = _userIds[owner];
                fields["HasOptedOutOfEmail"] = optedOut ? True : False;
                fields["DoNotCall"] = Chance(optedOut ? 0.4 : 0.02) ? True : False;
                _contactIds[c] = _sink.Insert("Contact", fields);
                _contactOwner[c] = owner;
                ReportEvery("Contacts", c + 1, total);
            }
        }

        return total;
    }
}
