using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.Jobs;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Storage;

namespace SfCompanion.IntegrationTests.Admin;

public sealed class AdminApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
    }

    [Fact]
    public async Task No_key_gets_401_problem_with_www_authenticate()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var client = host.Anonymous;
        foreach (var path in new[] { "/api/jobs", "/api/keys", "/api/runs/x" })
        {
            var response = await client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
            Assert.Equal(401, (await ProblemAsync(response)).GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task Unknown_key_gets_401()
    {
        using var host = new SfcTestHost().WithTestJobs();
        using var client = host.ClientWithKey("sfc_not-a-real-key-but-long-enough-to-look-like-one");
        var response = await client.GetAsync("/api/jobs", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not valid", (await ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_reads_but_gets_403_on_marketer_and_admin_endpoints()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var viewer = await host.CreateKeyAsync(SfcRoles.Viewer);
        using var client = host.ClientWithKey(viewer);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs/progress/runs", Ct)).StatusCode);

        var run = await client.PostAsync("/api/jobs/progress/run", null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
        Assert.Equal(403, (await ProblemAsync(run)).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync("/api/jobs/progress/schedule", new { cron = "0 0 * * * ?", timeZone = "UTC" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/keys", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/keys", new { name = "x", role = "admin" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Marketer_runs_jobs_but_cannot_change_schedules_or_keys()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var marketer = await host.CreateKeyAsync(SfcRoles.Marketer);
        using var client = host.ClientWithKey(marketer, bearer: true);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/jobs/progress/run", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/jobs/progress/pause", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync("/api/keys/bootstrap", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs/progress", Ct)).StatusCode);
    }

    [Fact]
    public async Task Admin_creates_lists_and_revokes_keys_and_a_revoked_key_gets_401()
    {
        using var host = new SfcTestHost().WithTestJobs();
        using var admin = host.ClientWithKey(SfcTestHost.AdminKey, bearer: true);
        var created = await admin.PostAsJsonAsync("/api/keys", new { name = "newsletter tool", role = "viewer" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<AdminApi.CreatedApiKeyView>(Ct))!;
        Assert.StartsWith("sfc_", key.Key, StringComparison.Ordinal);
        Assert.True(key.Key.Length >= 4 + 43);

        var listed = await admin.GetStringAsync("/api/keys", Ct);
        Assert.Contains("newsletter tool", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Key, listed, StringComparison.Ordinal);

        using var viewer = host.ClientWithKey(key.Key);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/jobs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/keys/{key.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await viewer.GetAsync("/api/jobs", Ct)).StatusCode);
    }

    [Fact]
    public async Task RequireRole_on_a_capability_group_admits_that_role_and_higher_only()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var viewer = await host.ClientAsync(SfcRoles.Viewer);
        var marketer = await host.ClientAsync(SfcRoles.Marketer);
        var admin = host.Admin;
        var anonymous = host.Anonymous;
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/test/marketer-only", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/test/marketer-only", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync("/api/test/marketer-only", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/test/marketer-only", Ct)).StatusCode);
    }

    [Fact]
    public async Task Using_a_key_records_when_it_was_last_used()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var admin = host.Admin;
        var keys = await admin.GetFromJsonAsync<List<AdminApi.ApiKeyView>>("/api/keys", Ct);
        var bootstrap = Assert.Single(keys!);
        Assert.Equal(("bootstrap", SfcRoles.Admin, false), (bootstrap.Id, bootstrap.Role, bootstrap.Revoked));
        Assert.NotNull(bootstrap.LastUsedAt);
        Assert.StartsWith("sfc_", bootstrap.Prefix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_key_request_names_the_field()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var admin = host.Admin;
        var response = await admin.PostAsJsonAsync("/api/keys", new { name = "x", role = "owner" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Contains("owner", problem.GetProperty("errors").GetProperty("role")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_active_admin_key_cannot_be_revoked()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var admin = host.Admin;
        var refused = await admin.DeleteAsync("/api/keys/bootstrap", Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("last active admin key", (await ProblemAsync(refused)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var second = await host.CreateKeyAsync(SfcRoles.Admin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/keys/bootstrap", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/keys", Ct)).StatusCode);
        using var other = host.ClientWithKey(second);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/keys", Ct)).StatusCode);
    }

    [Fact]
    public async Task Configured_bootstrap_key_works_and_nothing_is_printed()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var admin = host.Admin;
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/keys", Ct)).StatusCode);
        Assert.Empty(host.AnnouncedKeys);
    }

    [Fact]
    public async Task Generated_bootstrap_key_is_announced_once_and_works_after_a_restart()
    {
        using var directory = new TestDirectory("sfc-admin-restart-");
        string secret;
        using (var first = new SfcTestHost(directory.Path).WithTestJobs().WithoutBootstrapKey())
        {
            var client = first.Anonymous;
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/keys", Ct)).StatusCode);
            secret = Assert.Single(first.AnnouncedKeys);
            using var admin = first.ClientWithKey(secret);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/keys", Ct)).StatusCode);
        }

        using var second = new SfcTestHost(directory.Path).WithTestJobs().WithoutBootstrapKey();
        using var again = second.ClientWithKey(secret);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/keys", Ct)).StatusCode);
        Assert.Empty(second.AnnouncedKeys);
    }

    [Fact]
    public async Task Keys_are_stored_hashed_never_in_clear()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var viewer = await host.CreateKeyAsync(SfcRoles.Viewer);
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var page = await store.ListAsync(ApiKeyService.Kind, cancellationToken: Ct);
        Assert.Equal(2, page.Items.Count);
        Assert.All(page.Items, d =>
        {
            Assert.DoesNotContain(viewer, d.Data, StringComparison.Ordinal);
            Assert.DoesNotContain(SfcTestHost.AdminKey, d.Data, StringComparison.Ordinal);
        });
        Assert.Contains(page.Items, d => d.Data.Contains(ApiKeyService.HashOf(viewer), StringComparison.Ordinal));
    }
}
