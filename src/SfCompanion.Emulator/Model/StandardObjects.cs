namespace SfCompanion.Emulator.Model;

/// <summary>The standard objects SfCompanion reads and writes (and the permission sets its console reads), with their standard fields.</summary>
internal static class StandardObjects
{
    public static IReadOnlyList<ObjectSchema> Build(IEnumerable<CustomFieldDefinition> customFields)
    {
        var custom = customFields.ToLookup(f => f.SObjectType, StringComparer.OrdinalIgnoreCase);
        ObjectSchema Make(string name, string label, string prefix, params FieldDefinition[] fields) =>
            new(name, label, prefix, fields.Concat(custom[name].Select(ToField)));

        return
        [
            Make("User", "User", "005",
                Text("Username", 80, required: true), Text("FirstName", 40), Text("LastName", 80, required: true), CompoundName(),
                Field("Email", FieldType.Email, 80, required: true), Bool("IsActive"), Text("Title", 80), Text("Alias", 8),
                Ref("UserRoleId", "UserRole", null), Text("Department", 80), Text("CompanyName", 80), Text("TimeZoneSidKey", 40), Text("LanguageLocaleKey", 40)),
            Make("Account", "Account", "001",
                Text("Name", 255, required: true), Pick("Type"), Ref("ParentId", "Account", "Parent"), Pick("Industry"), Int("NumberOfEmployees"),
                Money("AnnualRevenue"), Text("BillingStreet", 255), Text("BillingCity", 40), Text("BillingPostalCode", 20), Text("BillingCountry", 80),
                Field("Phone", FieldType.Phone, 40), Field("Website", FieldType.Url, 255), Text("Sic", 20), Text("SicDesc", 80), Pick("Rating"),
                Owner(), Date("LastActivityDate", createable: false)),
            Make("Campaign", "Campaign", "701",
                Text("Name", 80, required: true), Pick("Type"), Pick("Status"), Date("StartDate"), Date("EndDate"), Money("ActualCost"), Money("BudgetedCost"),
                Money("ExpectedRevenue"), Bool("IsActive"), Ref("ParentId", "Campaign", "Parent"), Text("Description", 32000),
                Rollup("NumberOfLeads", FieldType.Int), Rollup("NumberOfContacts", FieldType.Int), Rollup("NumberOfResponses", FieldType.Int),
                Rollup("NumberOfOpportunities", FieldType.Int), Rollup("NumberOfWonOpportunities", FieldType.Int),
                Rollup("AmountAllOpportunities", FieldType.Currency), Rollup("AmountWonOpportunities", FieldType.Currency), Owner()),
            Make("CampaignMemberStatus", "Campaign Member Status", "01Y",
                Ref("CampaignId", "Campaign", null, required: true, updateable: false), Text("Label", 765, required: true), Bool("IsDefault"),
                Bool("HasResponded"), Int("SortOrder")),
            Make("Individual", "Individual", "0PK",
                Text("FirstName", 40), Text("LastName", 80, required: true), CompoundName(), Bool("HasOptedOutProcessing"), Bool("HasOptedOutSolicit"),
                Bool("HasOptedOutTracking"), Bool("HasOptedOutProfiling"), Bool("ShouldForget"), Date("BirthDate"), Owner()),
            Make("Lead", "Lead", "00Q",
                Text("FirstName", 40), Text("LastName", 80, required: true), CompoundName(), Pick("Salutation"), Text("Company", 255, required: true),
                Text("Title", 128), Field("Email", FieldType.Email, 80), Field("Phone", FieldType.Phone, 40), Field("MobilePhone", FieldType.Phone, 40),
                Text("Street", 255), Text("City", 40), Text("PostalCode", 20), Text("Country", 80), Pick("Industry"), Int("NumberOfEmployees"),
                Money("AnnualRevenue"), Pick("LeadSource"), Pick("Status", "Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"),
                Pick("Rating"), Field("Website", FieldType.Url, 255), Owner(), Bool("IsConverted", createable: false), Date("ConvertedDate", createable: false),
                Ref("ConvertedContactId", "Contact", "ConvertedContact", createable: false), Ref("ConvertedAccountId", "Account", "ConvertedAccount", createable: false),
                Ref("ConvertedOpportunityId", "Opportunity", "ConvertedOpportunity", createable: false),
                Bool("HasOptedOutOfEmail"), Bool("DoNotCall"), Bool("HasOptedOutOfFax"), Ref("IndividualId", "Individual", "Individual"),
                Date("LastActivityDate", createable: false), Text("Description", 32000)),
            Make("Contact", "Contact", "003",
                Ref("AccountId", "Account", "Account"), Text("FirstName", 40), Text("LastName", 80, required: true), CompoundName(), Pick("Salutation"),
                Text("Title", 128), Text("Department", 80), Field("Email", FieldType.Email, 80), Field("Phone", FieldType.Phone, 40),
                Field("MobilePhone", FieldType.Phone, 40), Text("MailingStreet", 255), Text("MailingCity", 40), Text("MailingPostalCode", 20),
                Text("MailingCountry", 80), Pick("LeadSource"), Owner(), Bool("HasOptedOutOfEmail"), Bool("DoNotCall"), Bool("HasOptedOutOfFax"),
                Ref("IndividualId", "Individual", "Individual"), Date("LastActivityDate", createable: false), Date("Birthdate"), Text("Description", 32000)),
            Make("CampaignMember", "Campaign Member", "00v",
                Ref("CampaignId", "Campaign", "Campaign", required: true, updateable: false), Ref("LeadId", "Lead", "Lead", updateable: false),
                Ref("ContactId", "Contact", "Contact", updateable: false), Pick("Status"), Bool("HasResponded", createable: false),
                Date("FirstRespondedDate", createable: false), Text("FirstName", 40, createable: false), Text("LastName", 80, createable: false),
                Field("Email", FieldType.Email, 80, createable: false)),
            Make("Opportunity", "Opportunity", "006",
                Text("Name", 120, required: true), Ref("AccountId", "Account", "Account"), Ref("CampaignId", "Campaign", "Campaign"),
                Money("Amount"), Pick("StageName", required: true), Field("CloseDate", FieldType.Date, 0, required: true), Bool("IsWon", createable: false),
                Bool("IsClosed", createable: false), Field("Probability", FieldType.Percent, 0), Pick("Type"), Pick("LeadSource"), Pick("ForecastCategoryName"),
                Owner(), Text("Description", 32000), Date("LastActivityDate", createable: false)),
            Make("Task", "Task", "00T",
                Text("Subject", 255), Ref("WhoId", ["Contact", "Lead"], "Who"), Ref("WhatId", ["Account", "Opportunity", "Campaign"], "What"), Owner(),
                Date("ActivityDate"), Pick("Status"), Pick("Priority"), Pick("TaskSubtype"), Pick("Type"),
                Bool("IsClosed", createable: false), Text("Description", 32000), Field("CompletedDateTime", FieldType.DateTime, 0, createable: false)),
            Make("ContactPointTypeConsent", "Contact Point Type Consent", "0ZY",
                Text("Name", 255, required: true), Ref("PartyId", "Individual", "Party", required: true), Pick("PrivacyConsentStatus"),
                Pick("ContactPointType"), DateTime("CaptureDate"), Text("CaptureSource", 255), Pick("CaptureContactPointType"),
                DateTime("DoubleConsentCaptureDate"), DateTime("EffectiveFrom"), DateTime("EffectiveTo"), Ref("DataUsePurposeId", "DataUsePurpose", "DataUsePurpose"), Owner()),
            Make("PermissionSet", "Permission Set", "0PS",
                Text("Name", 80, required: true), Text("Label", 80, required: true), Text("Description", 255), Bool("IsOwnedByProfile", createable: false)),
            Make("PermissionSetGroup", "Permission Set Group", "0PG",
                Text("DeveloperName", 80, required: true), Text("MasterLabel", 80, required: true), Text("Description", 255), Pick("Status")),
            Make("PermissionSetGroupComponent", "Permission Set Group Component", "0PC",
                Ref("PermissionSetGroupId", "PermissionSetGroup", "PermissionSetGroup", required: true, updateable: false),
                Ref("PermissionSetId", "PermissionSet", "PermissionSet", required: true, updateable: false)),
            // A group's assignment names the group and the group's aggregate permission set (PermissionSetId), as in Salesforce.
            Make("PermissionSetAssignment", "Permission Set Assignment", "0Pa",
                Ref("AssigneeId", "User", "Assignee", required: true, updateable: false),
                Ref("PermissionSetId", "PermissionSet", "PermissionSet", required: true, updateable: false),
                Ref("PermissionSetGroupId", "PermissionSetGroup", "PermissionSetGroup", updateable: false), DateTime("ExpirationDate")),
        ];
    }

    private static FieldDefinition ToField(CustomFieldDefinition custom) => new()
    {
        Name = custom.Name,
        Type = custom.Type,
        Label = custom.Name.Replace("__c", "", StringComparison.Ordinal).Replace('_', ' '),
        Length = custom.Type is FieldType.Boolean or FieldType.Date or FieldType.DateTime ? 0 : custom.Length,
        Nillable = custom.Type is not FieldType.Boolean,
        Custom = true,
        ExternalId = custom.ExternalId,
    };

    private static FieldDefinition Text(string name, int length, bool required = false, bool createable = true) =>
        Field(name, FieldType.String, length, required, createable);

    private static FieldDefinition Field(string name, FieldType type, int length, bool required = false, bool createable = true) => new()
    {
        Name = name,
        Type = type,
        Label = Labelize(name),
        Length = length,
        Required = required,
        Nillable = !required,
        Createable = createable,
        Updateable = createable,
    };

    private static FieldDefinition Pick(string name, params string[] values) => Pick(name, false, values);

    private static FieldDefinition Pick(string name, bool required, params string[] values) => new()
    {
        Name = name,
        Type = FieldType.Picklist,
        Label = Labelize(name),
        Length = 255,
        Required = required,
        Nillable = !required,
        PicklistValues = values,
    };

    private static FieldDefinition Bool(string name, bool createable = true) => new()
    {
        Name = name,
        Type = FieldType.Boolean,
        Label = Labelize(name),
        Nillable = false,
        Createable = createable,
        Updateable = createable,
    };

    private static FieldDefinition Int(string name) => Field(name, FieldType.Int, 0);

    private static FieldDefinition Money(string name) => Field(name, FieldType.Currency, 0);

    private static FieldDefinition Date(string name, bool createable = true) => Field(name, FieldType.Date, 0, createable: createable);

    private static FieldDefinition DateTime(string name) => Field(name, FieldType.DateTime, 0);

    private static FieldDefinition Rollup(string name, FieldType type) => new()
    {
        Name = name,
        Type = type,
        Label = Labelize(name),
        Createable = false,
        Updateable = false,
    };

    private static FieldDefinition Owner() => Ref("OwnerId", "User", "Owner");

    private static FieldDefinition Ref(string name, string target, string? relationship, bool required = false, bool createable = true, bool updateable = true) =>
        Ref(name, [target], relationship, required, createable, updateable);

    private static FieldDefinition Ref(string name, string[] targets, string? relationship, bool required = false, bool createable = true, bool updateable = true) => new()
    {
        Name = name,
        Type = FieldType.Reference,
        Label = Labelize(name),
        Length = 18,
        Required = required,
        Nillable = !required,
        Createable = createable,
        Updateable = createable && updateable,
        ReferenceTo = targets,
        RelationshipName = relationship,
    };

    private static FieldDefinition CompoundName() => new()
    {
        Name = "Name",
        Type = FieldType.String,
        Label = "Full Name",
        Length = 121,
        Createable = false,
        Updateable = false,
        Compute = r =>
        {
            var first = r["FirstName"] as string;
            var last = r["LastName"] as string;
            return string.IsNullOrEmpty(first) ? last : string.IsNullOrEmpty(last) ? first : $"{first} {last}";
        },
    };

    private static string Labelize(string name)
    {
        var trimmed = name.EndsWith("Id", StringComparison.Ordinal) && name.Length > 2 ? name[..^2] + " ID" : name;
        var chars = new List<char>(trimmed.Length + 4);
        for (var i = 0; i < trimmed.Length; i++)
        {
            if (i > 0 && char.IsUpper(trimmed[i]) && char.IsLower(trimmed[i - 1]))
            {
                chars.Add(' ');
            }

            chars.Add(trimmed[i]);
        }

        return new string([.. chars]);
    }
}
