using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SfCompanion.Admin;
using SfCompanion.Tracking;

namespace SfCompanion.IntegrationTests.Tracking;

/// <summary>The whole service in-process over a fresh SQLite file (web role: no scheduler), with a known admin key.</summary>
public sealed class TrackingHost : WebApplicationFactory<Program>
{
    public const string AdminKey = "sfc_test-tracking-admin-key-0123456789abcdefghij";
    public const string CampaignId = "701000000000001AAA";
    public const string LeadId = "00Q000000000001AAA";

    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-tracking-").FullName;
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal)
    {
        ["Admin:BootstrapKey"] = AdminKey,
        ["Hosting:Role"] = "web",
        ["Tracking:PublicBaseUrl"] = "https://t.example.fr",
    };

    public TrackingHost With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>A client that does not follow redirects.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public HttpClient Marketer()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(ApiKeyDefaults.HeaderName, AdminKey);
        return client;
    }

    public async Task<TrackingApi.RegisteredLinkView> RegisterAsync(string url, CancellationToken cancellationToken, string label = "Livre blanc")
    {
        using var client = Marketer();
        var response = await client.PostAsJsonAsync("/api/tracking/links", new { campaignId = CampaignId, label, url }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TrackingApi.RegisteredLinkView>(cancellationToken))!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Sqlite:Path", Path.Combine(_directory, "sfcompanion.db"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Salesforce is not configured here: services that need its client are not built eagerly.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = false;
        });
        return base.CreateHost(builder);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
