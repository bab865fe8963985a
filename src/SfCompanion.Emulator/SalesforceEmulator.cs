using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SfCompanion.Emulator.Api;
using SfCompanion.Emulator.Bulk;
using SfCompanion.Emulator.DemoData;
using SfCompanion.Emulator.Governance;
using SfCompanion.Emulator.Model;
using SfCompanion.Emulator.Soql;

namespace SfCompanion.Emulator;

/// <summary>
/// A local, in-memory Salesforce org speaking the REST, OAuth and Bulk API 2.0 wire formats.
/// Start one with <see cref="StartAsync"/>; dispose it to stop listening.
/// </summary>
public sealed class SalesforceEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SalesforceEmulator(EmulatorOptions options, WebApplication app)
    {
        Options = options;
        _app = app;
        Data = new OrgData(options.CustomFields, options.TimeProvider);
        Data.AdminUserId = Data.Insert("User", new Dictionary<string, object?>
        {
            ["Username"] = options.Username,
            ["FirstName"] = "Admin",
            ["LastName"] = "SfCompanion",
            ["Email"] = options.Username,
            ["IsActive"] = true,
            ["Title"] = "Integration user",
            ["Alias"] = "sfcadmin",
        });
        Limits = new ApiLimits(options.DailyApiRequestLimit);
        Tokens = new TokenService(options, () => BaseUrl, FindActiveUser, Data.OrganizationId);
        Faults = new FaultInjector(options.Seed, Tokens.ExpireAll);
        Queries = Data.Queries;
        Cursors = new QueryCursors(options.TimeProvider);
        BulkJobs = new BulkJobStore(this);
    }

    public EmulatorOptions Options { get; }

    /// <summary>Root URL of the org, e.g. http://127.0.0.1:5123: serves /services/oauth2/token and /services/data.</summary>
    public string BaseUrl { get; private set; } = "";

    public string TokenUrl => $"{BaseUrl}/services/oauth2/token";

    public string ClientId => Options.ClientId;

    public string ClientSecret => Options.ClientSecret;

    public string DemoUsername => Options.Username;

    /// <summary>The org's records, for tests and tools that read or change data directly (no API call counted).</summary>
    public OrgData Data { get; }

    public FaultInjector Faults { get; }

    public ApiLimits Limits { get; }

    internal TokenService Tokens { get; }

    internal QueryEngine Queries { get; }

    internal QueryCursors Cursors { get; }

    internal BulkJobStore BulkJobs { get; }

    public static async Task<SalesforceEmulator> StartAsync(EmulatorOptions? options, CancellationToken cancellationToken)
    {
        options ??= new EmulatorOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Url ?? "http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 150L * 1024 * 1024);
        var app = builder.Build();
        var emulator = new SalesforceEmulator(options, app);
        if (options.DemoLeads > 0)
        {
            DemoDataGenerator.Generate(emulator.Data, new DemoDataOptions
            {
                Leads = options.DemoLeads,
                Seed = options.Seed,
                Now = options.TimeProvider.GetUtcNow(),
            });
        }

        RestApi.Map(app, emulator);
        if (options.ControlEndpoints)
        {
            ControlApi.Map(app, emulator);
        }

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return emulator;
    }

    /// <summary>Issues an access token for the integration user without an OAuth round trip.</summary>
    public string IssueAccessToken() => Tokens.IssueFor(Data.AdminUserId);

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private string? FindActiveUser(string username)
    {
        var users = Data.GetSchema("User")!;
        var match = Data.Scan(users, r => string.Equals(r["Username"] as string, username, StringComparison.OrdinalIgnoreCase) && r["IsActive"] is true, includeDeleted: false);
        return match.Count > 0 ? match[0].Id : null;
    }
}
