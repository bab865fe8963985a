using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SfCompanion.Emulator.Tests;

/// <summary>The emulator's own control endpoints under /__emulator: faults, the API allowance, a rep's changes.</summary>
public class ControlEndpointTests : OrgTestBase
{
    protected override EmulatorOptions CreateOptions() => new() { ControlEndpoints = true };

    [Fact]
    public async Task Lock_rate_of_one_refuses_every_write_until_cleared()
    {
        var id = InsertLead("Locke");
        await ControlAsync("/__emulator/faults", new { lockRate = 1.0 });

        var (status, body) = await SendAsync(HttpMethod.Patch, $"{Api}/sobjects/Lead/{id}", new { Title = "X" });
        Assert.Equal(400, status);
        Assert.Equal("UNABLE_TO_LOCK_ROW", ErrorCode(body));

        await ControlAsync("/__emulator/faults", new { clear = true });
        Assert.Equal(204, (await SendAsync(HttpMethod.Patch, $"{Api}/sobjects/Lead/{id}", new { Title = "X" })).Status);
    }

    [Fact]
    public async Task A_503_rate_set_from_outside_fails_calls_and_is_reported()
    {
        var state = await ControlAsync("/__emulator/faults", new { serviceUnavailableRate = 1.0, slowRate = 0.5, slowDelayMs = 10 });
        Assert.Equal(1.0, state.GetProperty("serviceUnavailableRate").GetDouble());
        Assert.Equal(0.5, state.GetProperty("slowRate").GetDouble());

        var (status, body) = await GetAsync($"{Api}/limits");
        Assert.Equal(503, status);
        Assert.Equal("SERVER_UNAVAILABLE", ErrorCode(body));
        var faults = await Http.GetFromJsonAsync<JsonElement>("/__emulator/faults", Ct);
        Assert.True(faults.GetProperty("injected").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_rate_outside_zero_to_one_is_refused_naming_the_field()
    {
        using var response = await Http.PostAsJsonAsync("/__emulator/faults", new { lockRate = 1.5 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("lockRate", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, Org.Faults.LockRate);
    }

    [Fact]
    public async Task The_budget_nearly_spent_shows_in_the_limit_header_then_runs_out()
    {
        await ControlAsync("/__emulator/limits", new { used = 99_999 });

        using var response = await Http.GetAsync(new Uri($"{Api}/limits", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("api-usage=100000/100000", response.Headers.GetValues("Sforce-Limit-Info").Single());
        Assert.Equal(403, (await GetAsync($"{Api}/limits")).Status);

        await ControlAsync("/__emulator/limits", new { used = 0 });
        Assert.Equal(200, (await GetAsync($"{Api}/limits")).Status);
    }

    [Fact]
    public async Task A_reps_edit_and_delete_reach_the_org_and_move_the_modstamp()
    {
        var id = InsertLead("Rep");
        var before = (DateTimeOffset)Org.Data.Get(id)!["SystemModstamp"]!;
        await Task.Delay(20, Ct);

        using (var request = new HttpRequestMessage(HttpMethod.Patch, $"/__emulator/records/{id}") { Content = JsonContent.Create(new Dictionary<string, object?> { ["Title"] = "CEO", ["HasOptedOutOfEmail"] = true }) })
        using (var response = await Http.SendAsync(request, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var record = Org.Data.Get(id)!;
        Assert.Equal("CEO", record["Title"]);
        Assert.Equal(true, record["HasOptedOutOfEmail"]);
        Assert.True((DateTimeOffset)record["SystemModstamp"]! > before);
        Assert.Equal(0, Org.Limits.ApiCallsUsed);

        using (var deleted = await Http.DeleteAsync(new Uri($"/__emulator/records/{id}", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(true, Org.Data.Get(id)!["IsDeleted"]);
        using var again = await Http.DeleteAsync(new Uri($"/__emulator/records/{id}", UriKind.Relative), Ct);
        Assert.Equal("ENTITY_IS_DELETED", ErrorCode(JsonDocument.Parse(await again.Content.ReadAsStringAsync(Ct)).RootElement));
    }

    [Fact]
    public async Task Control_endpoints_are_off_by_default()
    {
        await using var plain = await SalesforceEmulator.StartAsync(new EmulatorOptions(), Ct);
        using var http = new HttpClient { BaseAddress = new Uri(plain.BaseUrl) };
        using var response = await http.GetAsync(new Uri("/__emulator/faults", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<JsonElement> ControlAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
