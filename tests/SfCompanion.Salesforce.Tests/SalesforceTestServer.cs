using System.Text;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SfCompanion.Salesforce.Tests;

/// <summary>A WireMock.Net server answering like a Salesforce org, and a client wired to it.</summary>
internal sealed class SalesforceTestServer : IDisposable
{
    public const string Version = "66.0";
    public const string DataPath = "/services/data/v66.0";

    private SalesforceConnection? _connection;

    public SalesforceTestServer()
    {
        Server = WireMockServer.Start();
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    public SalesforceOptions Options { get; } = new();

    public ISalesforceClient Client => Connection.Client;

    public SalesforceConnection Connection => _connection ??= SalesforceClientFactory.Create(Options);

    public static SalesforceTestServer Create(Action<SalesforceOptions>? configure = null, bool stubToken = true)
    {
        var server = new SalesforceTestServer();
        var options = server.Options;
        options.LoginUrl = server.Url;
        options.AuthFlow = SalesforceAuthFlow.ClientCredentials;
        options.ClientId = "3MVG9-test-consumer-key";
        options.ClientSecret = "test-secret";
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        options.MaxRetryDelay = TimeSpan.FromSeconds(2);
        options.BulkPollInitialDelay = TimeSpan.Zero;
        options.BulkPollMaxDelay = TimeSpan.Zero;
        configure?.Invoke(options);
        if (stubToken)
        {
            server.StubToken("00D-TOKEN-1");
        }

        return server;
    }

    public void StubToken(string accessToken) =>
        Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(TokenJson(accessToken)));

    public string TokenJson(string accessToken) =>
        $$"""{"access_token":"{{accessToken}}","signature":"c2ln","scope":"api","instance_url":"{{Url}}","id":"{{Url}}/id/00Dxx0000001gPFEAY/005xx000001SwiUAAS","token_type":"Bearer","issued_at":"1706695200000"}""";

    public static IResponseBuilder Json(string body, int status = 200, string usage = "api-usage=25/15000") =>
        Response.Create().WithStatusCode(status)
            .WithHeader("Content-Type", "application/json;charset=UTF-8")
            .WithHeader("Sforce-Limit-Info", usage)
            .WithBody(body);

    public static IResponseBuilder Csv(string body, int status = 200) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/csv").WithBody(body);

    /// <summary>Requests that reached the server, OAuth included, in order.</summary>
    public IReadOnlyList<ILogEntry> Requests => [.. Server.LogEntries.OrderBy(e => e.RequestMessage.DateTime)];

    public IReadOnlyList<ILogEntry> ApiRequests => [.. Requests.Where(e => e.RequestMessage.Path != "/services/oauth2/token")];

    public int TokenRequests => Requests.Count(e => e.RequestMessage.Path == "/services/oauth2/token");

    public static string Body(ILogEntry entry) => entry.RequestMessage.Body ?? Encoding.UTF8.GetString(entry.RequestMessage.BodyAsBytes ?? []);

    public static string? Header(ILogEntry entry, string name) =>
        entry.RequestMessage.Headers is { } headers
            ? headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => string.Join(",", h.Value)).FirstOrDefault()
            : null;

    public void Dispose()
    {
        _connection?.Dispose();
        Server.Stop();
        Server.Dispose();
    }
}
