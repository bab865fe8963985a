using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SfCompanion.Consent;
using SfCompanion.Emulator;
using SfCompanion.Emulator.Model;
using SfCompanion.Rules;
using SfCompanion.Salesforce;
using SfCompanion.Sync;
using SfCompanion.Tracking;

namespace SfCompanion.Tests.Deploy;

/// <summary>
/// <c>connected-app/</c> deploys what the service writes: every custom field a capability declares (with every option
/// that writes more turned on) exists in the DX project with a type that fits, the integration permission set may edit
/// it, the emulator's default fields agree, and every XML file is well-formed at the client's default API version.
/// </summary>
public sealed class ConnectedAppMetadataTests
{
    private static readonly XNamespace Md = "http://soap.sforce.com/2006/04/metadata";
    private static readonly string Source = RepoPaths.Of("connected-app", "force-app", "main", "default");

    /// <summary>Salesforce describe type → the metadata <c>&lt;type&gt;</c>s that produce it.</summary>
    private static readonly Dictionary<string, string[]> Fits = new(StringComparer.OrdinalIgnoreCase)
    {
        ["boolean"] = ["Checkbox"],
        ["double"] = ["Number"],
        ["int"] = ["Number"],
        ["percent"] = ["Percent"],
        ["currency"] = ["Currency"],
        ["date"] = ["Date"],
        ["datetime"] = ["DateTime"],
        ["string"] = ["Text"],
        ["textarea"] = ["TextArea", "LongTextArea"],
        ["url"] = ["Url"],
        ["picklist"] = ["Picklist"],
    };

    /// <summary>Every field the service's registrations declare, with the options that write more on.</summary>
    private static List<WrittenField> DeclaredFields()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Consent:WriteIndividual"] = "true",
            ["Consent:WriteContactPointTypeConsent"] = "true",
            ["Consent:RetentionFlagField"] = "Sfc_Retention_Review__c",
            ["Tracking:CreateFollowUpTasks"] = "true",
        });
        builder.AddTracking();
        builder.AddConsent();
        builder.AddRules();
        using var provider = builder.Services.BuildServiceProvider();
        return [.. provider.GetServices<IWrittenFields>().SelectMany(w => w.Fields())];
    }

    /// <summary>Task and Event custom fields are stored under <c>Activity</c>.</summary>
    private static string MetadataObject(string sobject) => sobject is "Task" or "Event" ? "Activity" : sobject;

    private static string FieldFile(string sobject, string field) => Path.Combine(Source, "objects", MetadataObject(sobject), "fields", field + ".field-meta.xml");

    /// <summary>What is wrong with <paramref name="field"/> in the DX project, or null.</summary>
    internal static string? Drift(WrittenField field)
    {
        var file = FieldFile(field.Object, field.Field);
        if (!File.Exists(file))
        {
            return $"{field.Object}.{field.Field} ({field.Type}, written by {field.Capability}) is not in connected-app: add {Path.GetRelativePath(RepoPaths.Root, file)}";
        }

        var type = XDocument.Load(file).Root!.Element(Md + "type")?.Value;
        return Fits.TryGetValue(field.Type, out var fitting) && fitting.Contains(type, StringComparer.Ordinal)
            ? null
            : $"{field.Object}.{field.Field} is written by {field.Capability} as '{field.Type}' but connected-app declares <type>{type}</type>";
    }

    [Fact]
    public void The_three_writing_capabilities_declare_their_fields()
    {
        var fields = DeclaredFields();
        Assert.Contains(fields, f => f is { Capability: "Tracking", Object: "Campaign", Field: "Sfc_Click_Rate__c" });
        Assert.Contains(fields, f => f is { Capability: "Consent", Object: "ContactPointTypeConsent", Field: "Sfc_Key__c" });
        Assert.Contains(fields, f => f is { Capability: "Rules", Object: "Contact", Field: "Sfc_Vip__c" });
    }

    [Fact]
    public void Every_custom_field_the_service_writes_is_deployed_with_a_type_that_fits()
    {
        var problems = DeclaredFields().Where(f => f.Custom).Select(Drift).OfType<string>().Distinct().ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Drift_names_a_field_that_is_missing_or_of_the_wrong_type()
    {
        Assert.Contains("Lead.Sfc_Nowhere__c", Drift(new("Lead", "Sfc_Nowhere__c", "Tracking", "double")), StringComparison.Ordinal);
        Assert.Contains("<type>Checkbox</type>", Drift(new("Lead", "Sfc_Vip__c", "Rules", "date")), StringComparison.Ordinal);
        Assert.Null(Drift(new("Task", "Sfc_Key__c", "Tracking", "string")));
    }

    [Fact]
    public void The_integration_permission_set_edits_every_written_custom_field()
    {
        var permset = XDocument.Load(Path.Combine(Source, "permissionsets", "SfCompanion_Integration.permissionset-meta.xml"));
        var editable = permset.Root!.Elements(Md + "fieldPermissions")
            .Where(p => p.Element(Md + "editable")?.Value == "true")
            .Select(p => p.Element(Md + "field")!.Value)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = DeclaredFields().Where(f => f.Custom).Select(f => f.Object + "." + f.Field).Where(f => !editable.Contains(f)).Distinct().ToList();
        Assert.True(missing.Count == 0, "SfCompanion_Integration does not edit: " + string.Join(", ", missing));
        Assert.Contains(permset.Root!.Elements(Md + "userPermissions"), p => p.Element(Md + "name")?.Value == "ApiEnabled");
    }

    [Fact]
    public void The_emulator_default_fields_and_connected_app_agree()
    {
        var problems = new List<string>();
        foreach (var field in EmulatorOptions.DefaultCustomFields())
        {
            var written = new WrittenField(field.SObjectType, field.Name, "Emulator", field.Type switch
            {
                FieldType.Boolean => "boolean",
                FieldType.Double or FieldType.Int => "double",
                FieldType.Percent => "percent",
                FieldType.Currency => "currency",
                FieldType.Date => "date",
                FieldType.DateTime => "datetime",
                FieldType.TextArea => "textarea",
                FieldType.Url => "url",
                FieldType.Picklist => "picklist",
                _ => "string",
            });
            if (Drift(written) is { } problem)
            {
                problems.Add(problem);
                continue;
            }

            var xml = XDocument.Load(FieldFile(field.SObjectType, field.Name)).Root!;
            if (xml.Element(Md + "length")?.Value is { } length && field.Type is FieldType.String or FieldType.TextArea && length != field.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                problems.Add($"{field.SObjectType}.{field.Name}: length {field.Length} in the emulator, {length} in connected-app");
            }

            if ((xml.Element(Md + "externalId")?.Value == "true") != field.ExternalId)
            {
                problems.Add($"{field.SObjectType}.{field.Name}: external id differs between the emulator and connected-app");
            }
        }

        var deployed = Directory.EnumerateFiles(Path.Combine(Source, "objects"), "*.field-meta.xml", SearchOption.AllDirectories)
            .Select(f => (Object: Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(f)))!, Field: Path.GetFileName(f).Replace(".field-meta.xml", "", StringComparison.Ordinal)));
        var emulated = EmulatorOptions.DefaultCustomFields().Select(f => MetadataObject(f.SObjectType) + "." + f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        problems.AddRange(deployed.Where(d => !emulated.Contains(d.Object + "." + d.Field)).Select(d => $"{d.Object}.{d.Field} is deployed but the emulator's DefaultCustomFields lacks it"));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_xml_file_is_well_formed_metadata_and_the_project_uses_the_client_default_api_version()
    {
        var files = Directory.EnumerateFiles(RepoPaths.Of("connected-app"), "*.xml", SearchOption.AllDirectories).Where(f => !f.Contains("node_modules", StringComparison.Ordinal)).ToList();
        Assert.True(files.Count > 40, $"only {files.Count} XML files found");
        foreach (var file in files)
        {
            var root = XDocument.Load(file).Root!;
            Assert.True(root.Name.Namespace == Md, $"{file}: root element is not in the metadata namespace");
            // Any API version a file states is the client's.
            foreach (var version in root.Descendants().Where(e => e.Name.LocalName is "apiVersion" or "version"))
            {
                Assert.Equal(new SalesforceOptions().ApiVersion, version.Value);
            }
        }

        using var project = JsonDocument.Parse(File.ReadAllText(RepoPaths.Of("connected-app", "sfdx-project.json")));
        Assert.Equal(new SalesforceOptions().ApiVersion, project.RootElement.GetProperty("sourceApiVersion").GetString());
    }
}
