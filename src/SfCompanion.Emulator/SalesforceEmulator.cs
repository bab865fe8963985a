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
        AuthorizationCodes = new AuthorizationCodes(options.TimeProvider, options.AuthorizationCodeLifetime);
        Tokens = new TokenService(options, () => BaseUrl, FindActiveUser, Data.OrganizationId, AuthorizationCodes);
        Faults = new FaultInjector(options.Seed, Tokens.ExpireAll);
        Queries = Data.Queries;
        Cursors = new QueryCursors(options.TimeProvider);
        BulkJobs = new BulkJobStore(this);
    }

    public EmulatorOptions Options { get; }

    /// <summary>Root URL of the org, e.g. http://127.0.0.1:5123: serves /services/oauth2/token and /services/data.</summary>
    public string BaseUrl { get; private set; } = "";

    public string TokenUrl => $"{BaseUrl}/services/oauth2/token";

    /// <summary>The authorization code flow's authorize endpoint (login page for <see cref="EmulatorOptions.Users"/>).</summary>
    public string AuthorizeUrl => $"{BaseUrl}/services/oauth2/authorize";

    /// <summary>The OpenID Connect userinfo endpoint.</summary>
    public string UserInfoUrl => $"{BaseUrl}/services/oauth2/userinfo";

    public string ClientId => Options.ClientId;

    public string ClientSecret => Options.ClientSecret;

    public string DemoUsername => Options.Username;

    /// <summary>The org's records, for tests and tools that read or change data directly (no API call counted).</summary>
    public OrgData Data { get; }

    public FaultInjector Faults { get; }

    public ApiLimits Limits { get; }

    internal TokenService Tokens { get; }

    internal AuthorizationCodes AuthorizationCodes { get; }

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

        // After the generated data, so the generated sales reps come first in the org's users.
        emulator.AddPeople(options);
        RestApi.Map(app, emulator);
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

    /// <summary>Checks an interactive sign-in: the id of the active user of <see cref="EmulatorOptions.Users"/> with this password, or null.</summary>
    internal string? CheckPassword(string username, string password)
    {
        var person = Options.Users.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));
        var expected = System.Text.Encoding.UTF8.GetBytes(person?.Password ?? "");
        var given = System.Text.Encoding.UTF8.GetBytes(password);
        var matches = System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, given);
        return person is not null && person.Password.Length > 0 && matches ? FindActiveUser(person.Username) : null;
    }

    private void AddPeople(EmulatorOptions options)
    {
        var permissionSets = new Dictionary<string, string>(StringComparer.Ordinal);
        string PermissionSet(string name)
        {
            if (!permissionSets.TryGetValue(name, out var id))
            {
                id = Data.Insert("PermissionSet", new Dictionary<string, object?> { ["Name"] = name, ["Label"] = name.Replace('_', ' ') });
                permissionSets[name] = id;
            }

            return id;
        }

        foreach (var name in EmulatorOptions.ConsolePermissionSets.Append("SfCompanion_Integration"))
        {
            PermissionSet(name);
        }

        Data.Insert("PermissionSetAssignment", new Dictionary<string, object?> { ["AssigneeId"] = Data.AdminUserId, ["PermissionSetId"] = PermissionSet("SfCompanion_Integration") });
        foreach (var person in options.Users)
        {
            var userId = Data.Insert("User", new Dictionary<string, object?>
            {
                ["Username"] = person.Username,
                ["FirstName"] = person.FirstName,
                ["LastName"] = person.LastName,
                ["Email"] = person.Username,
                ["IsActive"] = true,
                ["Alias"] = person.Username.Split('@')[0] is { Length: > 8 } alias ? alias[..8] : person.Username.Split('@')[0],
            });
            foreach (var name in person.PermissionSets)
            {
                Data.Insert("PermissionSetAssignment", new Dictionary<string, object?> { ["AssigneeId"] = userId, ["PermissionSetId"] = PermissionSet(name) });
            }
        }
    }

    private string? FindActiveUser(string username)
    {
        var users = Data.GetSchema("User")!;
        var match = Data.Scan(users, r => string.Equals(r["Username"] as string, username, StringComparison.OrdinalIgnoreCase) && r["IsActive"] is true, includeDeleted: false);
        return match.Count > 0 ? match[0].Id : null;
    }
}
