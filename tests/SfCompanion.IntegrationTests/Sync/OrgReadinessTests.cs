using System.Net;
using System.Text.Json;
using SfCompanion.Emulator;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.IntegrationTests.Sync;

/// <summary>The org readiness check against an emulated org that lacks a field SfCompanion writes.</summary>
public sealed class OrgReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Action<EmulatorOptions> Without(string sobject, string field) => o =>
    {
        var definition = o.CustomFields.Single(f => f.SObjectType == sobject && f.Name == field);
        o.CustomFields.Remove(definition);
    };

    private static async Task<JsonElement> ReadyCheckAsync(SfcTestHost host, string name)
    {
        var response = await host.Anonymous.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return body.RootElement.GetProperty("checks").GetProperty(name).Clone();
    }

    [Fact]
    public async Task A_complete_org_is_healthy()
    {
        using var host = await new SfcTestHost().WithEmulator().StartAsync();

        var report = await host.Get<OrgReadiness>().CheckAsync(force: true, Ct);
        Assert.True(report.Problems.Count == 0, string.Join(Environment.NewLine, report.Problems.Select(p => p.Message)));
        Assert.Null(report.Error);
        var check = await ReadyCheckAsync(host, "salesforce-org");
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_missing_field_is_reported_by_object_field_capability_and_fix_and_degrades_only_its_capability()
    {
        using var host = await new SfcTestHost().WithEmulator(Without("Lead", "Sfc_Email_Clicks__c")).StartAsync();

        var check = await ReadyCheckAsync(host, "salesforce-org");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        var description = check.GetProperty("description").GetString()!;
        Assert.Contains("Lead.Sfc_Email_Clicks__c", description, StringComparison.Ordinal);
        Assert.Contains("written by Tracking", description, StringComparison.Ordinal);
        Assert.Contains("sf project deploy start -d connected-app/force-app", description, StringComparison.Ordinal);
        Assert.Contains("SfCompanion_Integration", description, StringComparison.Ordinal);
        var degraded = check.GetProperty("data").GetProperty("degradedCapabilities").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["Tracking"], degraded);
        var problem = Assert.Single(check.GetProperty("data").GetProperty("problems").EnumerateArray());
        Assert.Equal(("Lead", "Sfc_Email_Clicks__c", ReadinessProblem.FieldMissing), (problem.GetProperty("object").GetString(), problem.GetProperty("field").GetString(), problem.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task A_field_the_integration_user_cannot_edit_is_reported_with_the_permission_set_to_assign()
    {
        using var host = await new SfcTestHost().WithEmulator().StartAsync();
        var schemas = host.Get<SchemaStore>();
        // The sync's stored describe, as Salesforce answers when field-level security makes the field read-only.
        var lead = await host.Get<SfCompanion.Salesforce.ISalesforceClient>().DescribeAsync("Lead", Ct);
        await schemas.SaveAsync(lead with { Fields = [.. lead.Fields.Select(f => f.Name == "Sfc_Vip__c" ? f with { Updateable = false } : f)] }, Ct);

        var report = await host.Get<OrgReadiness>().CheckAsync(force: true, Ct);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("Lead", "Sfc_Vip__c", ReadinessProblem.FieldNotEditable), (problem.Object, problem.Field, problem.Kind));
        Assert.Equal(["Rules"], report.DegradedCapabilities);
        Assert.Contains("Lead.Sfc_Vip__c is not editable by the integration user (written by Rules)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("assign the permission set `SfCompanion_Integration` to the integration user", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_for_a_missing_field_are_dead_lettered_at_enqueue_and_the_other_fields_of_the_record_are_queued()
    {
        using var host = await new SfcTestHost().WithEmulator(Without("Lead", "Sfc_Email_Clicks__c")).StartAsync();
        await host.Get<OrgReadiness>().CheckAsync(force: true, Ct);
        var outbox = host.Get<Outbox>();
        const string lead = "00Q000000000001AAA";

        await outbox.EnqueueAsync(
        [
            new DesiredValue("Lead", lead, "Sfc_Email_Clicks__c", 3, "tracking", "human clicks"),
            new DesiredValue("Lead", lead, "Sfc_Last_Click_Date__c", DateTimeOffset.UnixEpoch, "tracking", "last human click"),
        ], Ct);

        var pending = await outbox.GetAsync("Lead", lead, Ct);
        Assert.NotNull(pending);
        Assert.Equal(["Sfc_Last_Click_Date__c"], pending.Fields.Keys);
        var (dead, _) = await outbox.ListDeadAsync(null, 10, Ct);
        var letter = Assert.Single(dead);
        Assert.Equal(Outbox.FieldNotReadyCode, letter.ErrorCode);
        Assert.Equal(["Sfc_Email_Clicks__c"], letter.Entry.Fields.Keys);
        Assert.Contains("Lead.Sfc_Email_Clicks__c", letter.Message, StringComparison.Ordinal);
        Assert.Contains("sf project deploy start -d connected-app/force-app", letter.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_whose_key_field_is_missing_is_dead_lettered_whole()
    {
        using var host = await new SfcTestHost().WithEmulator(Without("Task", "Sfc_Key__c")).StartAsync();
        var report = await host.Get<OrgReadiness>().CheckAsync(force: true, Ct);
        Assert.Contains(report.Problems, p => p is { Object: "Task", Field: "Sfc_Key__c" });
        var outbox = host.Get<Outbox>();

        await outbox.EnqueueRecordAsync(new DesiredRecord("Task", "sfc-click-1", new Dictionary<string, object?> { ["Subject"] = "Clicked" }, "tracking", "follow-up", ExternalIdField: "Sfc_Key__c"), Ct);

        Assert.Null(await outbox.GetRecordAsync("Task", "sfc-click-1", Ct));
        var letter = Assert.Single((await outbox.ListDeadAsync(null, 10, Ct)).Items);
        Assert.Equal("Clicked", letter.Entry.Fields["Subject"].Value);
        Assert.Contains("Task.Sfc_Key__c", letter.Message, StringComparison.Ordinal);
    }
}
