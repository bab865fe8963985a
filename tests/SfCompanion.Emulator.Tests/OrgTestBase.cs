using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SfCompanion.Emulator.Tests;

/// <summary>Starts an emulated org per test and gives raw HTTP helpers that speak its wire format.</summary>
public abstract class OrgTestBase : IAsyncLifetime
{
    protected const string Api = "/services/data/v62.0";

    // Field names go on the wire exactly as written (no camel-casing).
    private static readonly JsonSerializerOptions PlainJson = new();

    protected SalesforceEmulator Org { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected virtual EmulatorOptions CreateOptions() => new();

    public virtual async ValueTask InitializeAsync()
    {
        Org = await SalesforceEmulator.StartAsync(CreateOptions(), Ct);
        Http = new HttpClient { BaseAddress = new Uri(Org.BaseUrl) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Org.IssueAccessToken());
    }

    public virtual async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Org.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = body is string text
                ? new StringContent(text, Encoding.UTF8, "application/json")
                : JsonContent.Create(body, options: PlainJson);
        }

        using var response = await Http.SendAsync(request, Ct);
        var content = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, content.Length == 0 ? default : JsonDocument.Parse(content).RootElement.Clone());
    }

    protected Task<(int Status, JsonElement Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    protected async Task<JsonElement> QueryAsync(string soql, string resource = "query")
    {
        var (status, body) = await GetAsync($"{Api}/{resource}?q={Uri.EscapeDataString(soql)}");
        Assert.True(status == 200, body.ToString());
        return body;
    }

    protected string InsertLead(string lastName, string company = "Acme", Dictionary<string, object?>? extra = null)
    {
        var fields = new Dictionary<string, object?> { ["LastName"] = lastName, ["Company"] = company };
        foreach (var (k, v) in extra ?? [])
        {
            fields[k] = v;
        }

        return Org.Data.Insert("Lead", fields);
    }

    protected static string ErrorCode(JsonElement body) => body[0].GetProperty("errorCode").GetString()!;
}
