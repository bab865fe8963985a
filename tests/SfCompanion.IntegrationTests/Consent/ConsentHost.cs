using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SfCompanion.Admin;
using SfCompanion.Consent;
using SfCompanion.Emulator;
using SfCompanion.Hosting;
using SfCompanion.Recipients;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.IntegrationTests.Consent;

/// <summary>
/// The real service on a real Kestrel port (a browser needs one) over a fresh SQLite file, web role, with the admin API
/// and the consent API mapped under <c>/api</c>. With <see cref="StartAsync(bool, IReadOnlyDictionary{string, string?}?)"/>
/// <c>withOrg</c>, an emulated Salesforce org is started and the service is connected to it (sync and writeback).
/// </summary>
public sealed class ConsentHost : IAsyncDisposable
{
    public const string AdminKey = "sfc_consent-test-admin-key-0123456789abcdefghij";
    private readonly string _directory;

    private ConsentHost(WebApplication app, SalesforceEmulator? org, string directory)
    {
        App = app;
        Org = org;
        _directory = directory;
        BaseUrl = app.Urls.First(u => u.StartsWith("http://", StringComparison.Ordinal));
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    public WebApplication App { get; }

    public SalesforceEmulator? Org { get; }

    public string BaseUrl { get; }

    /// <summary>A plain HTTP client on the service (no API key).</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    public ConsentService Consent => Services.GetRequiredService<ConsentService>();

    public RecipientTokens Tokens => Services.GetRequiredService<RecipientTokens>();

    public Outbox Outbox => Services.GetRequiredService<Outbox>();

    public static async Task<ConsentHost> StartAsync(bool withOrg = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("sfc-consent-").FullName;
        SalesforceEmulator? org = withOrg ? await SalesforceEmulator.StartAsync(new EmulatorOptions { MaxApiVersion = 66 }, ct) : null;
        var config = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Storage:Sqlite:Path"] = Path.Combine(directory, "sfcompanion.db"),
            ["Hosting:Role"] = "web",
            ["Admin:BootstrapKey"] = AdminKey,
            ["Sync:Objects:0:Name"] = "Lead",
            ["Sync:Objects:0:IndexedFields:0"] = "Email",
        };
        string[] fields = ["FirstName", "LastName", "Company", "Email", "HasOptedOutOfEmail", "DoNotCall", "Sfc_Sms_Opt_Out__c", "Sfc_Consent_Changed__c", "LastModifiedDate"];
        for (var i = 0; i < fields.Length; i++)
        {
            config[$"Sync:Objects:0:Fields:{i}"] = fields[i];
        }

        if (org is not null)
        {
            config["Salesforce:LoginUrl"] = org.BaseUrl;
            config["Salesforce:AuthFlow"] = "ClientCredentials";
            config["Salesforce:ClientId"] = org.ClientId;
            config["Salesforce:ClientSecret"] = org.ClientSecret;
            config["Salesforce:RetryBaseDelay"] = "00:00:00.010";
            config["Salesforce:MaxRetryDelay"] = "00:00:00.050";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var app = SfCompanionApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(config);
        });
        await app.StartAsync(ct);
        return new ConsentHost(app, org, directory);
    }

    /// <summary>An HTTP client carrying an API key.</summary>
    public HttpClient ClientWithKey(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add(ApiKeyDefaults.HeaderName, key);
        return client;
    }

    public async Task<string> CreateKeyAsync(string role)
    {
        using var admin = ClientWithKey(AdminKey);
        var response = await admin.PostAsJsonAsync("/api/keys", new { name = "test " + role, role }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AdminApi.CreatedApiKeyView>(TestContext.Current.CancellationToken))!.Key;
    }

    /// <summary>A lead in the org (when there is one), synced into the mirror; returns its id.</summary>
    public async Task<string> AddLeadAsync(string email, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var fields = new Dictionary<string, object?> { ["FirstName"] = "Camille", ["LastName"] = "Martin", ["Company"] = "Société Test", ["Email"] = email };
        foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
        {
            fields[key] = value;
        }

        var id = Org!.Data.Insert("Lead", fields);
        await SyncAsync();
        return id;
    }

    public Task SyncAsync() => Services.GetRequiredService<SyncService>().SyncObjectAsync("Lead", cancellationToken: TestContext.Current.CancellationToken);

    public Task<WritebackResult> WritebackAsync() => Services.GetRequiredService<WritebackService>().RunAsync(cancellationToken: TestContext.Current.CancellationToken);

    public Task<ConsentImportResult> ImportFromSalesforceAsync() =>
        Services.GetRequiredService<ConsentSalesforceImport>().RunAsync(cancellationToken: TestContext.Current.CancellationToken);

    public object? OrgValue(string id, string field) => Org!.Data.Get(id)![field];

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        if (Org is not null)
        {
            await Org.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background task; the OS temp folder is cleaned anyway.
        }
    }
}
