using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SfCompanion.Admin;
using SfCompanion.Hosting;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Jobs;
using SfCompanion.Salesforce;

namespace SfCompanion.IntegrationTests.Hosting;

/// <summary>
/// Known secret values in the configuration, then a failing Salesforce authentication, a job run, health answers and
/// problem answers: none of the secrets may appear in anything the service logs or answers. (Start-up failures with
/// secrets are in <see cref="ProcessTests"/>.)
/// </summary>
public sealed class SecretsNeverShownTests
{
    private const string BootstrapKey = "sfc_known-bootstrap-secret-0123456789abcdef";
    private const string ClientSecret = "known-client-secret-9f8e7d6c5b4a";
    private const string OrgSecret = "the-org-expects-this-secret-5e4d3c";
    private static readonly string TokenSecret = Convert.ToBase64String(Encoding.ASCII.GetBytes("known-token-signing-secret-32byt"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Secrets_appear_in_no_log_health_answer_run_or_problem_when_Salesforce_refuses_the_credentials()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = new SfcTestHost()
            .With("Admin:BootstrapKey", BootstrapKey)
            .With("Tokens:Keys:0:Id", "k1")
            .With("Tokens:Keys:0:Secret", TokenSecret)
            .With("Sync:Objects:0:Name", "Lead")
            .With("Sync:Objects:0:Fields:0", "LastName")
            .With("Logging:LogLevel:Default", "Debug")
            .WithEmulator(o => o.ClientSecret = OrgSecret)
            .ConfigureServices(s =>
            {
                s.AddSingleton<ILoggerProvider>(logs);
                // The service sends another secret than the org's: every authentication is refused (invalid_client).
                s.PostConfigure<SalesforceOptions>(o => o.ClientSecret = ClientSecret);
            });
        await host.StartAsync();
        using var admin = host.ClientWithKey(BootstrapKey);
        var answers = new StringBuilder();

        var run = await host.Get<JobExecutor>().ExecuteAsync(new JobExecution("sync", JobTriggers.Manual), Ct);
        answers.AppendLine(await admin.GetStringAsync($"/api/runs/{run.Id}", Ct));
        answers.AppendLine(await admin.GetStringAsync("/api/jobs/sync/runs", Ct));
        answers.AppendLine(await admin.GetStringAsync("/api/sync", Ct));
        using (var ready = await admin.GetAsync("/health/ready", Ct))
        {
            answers.AppendLine(await ready.Content.ReadAsStringAsync(Ct));
        }

        using (var problem = await admin.PostAsync("/api/keys", new StringContent("{\"name\": 42}", Encoding.UTF8, "application/json"), Ct))
        {
            answers.AppendLine(await problem.Content.ReadAsStringAsync(Ct));
        }

        using (var problem = await admin.GetAsync("/api/keys/" + Uri.EscapeDataString(BootstrapKey), Ct))
        {
            answers.AppendLine(await problem.Content.ReadAsStringAsync(Ct));
        }

        answers.AppendLine(await admin.GetStringAsync("/api/keys", Ct));

        var output = logs.Text + answers;
        Assert.Contains("invalid_client", answers.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("invalid_client", logs.Text, StringComparison.OrdinalIgnoreCase);
        foreach (var secret in new[] { BootstrapKey, ClientSecret, OrgSecret, TokenSecret })
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Redactor_hides_every_value_of_a_key_marked_secret_and_the_password_of_a_connection_string()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Admin:BootstrapKey"] = BootstrapKey,
            ["Consent:HashSalt"] = "consent-hash-salt-value",
            ["Salesforce:ClientSecret"] = ClientSecret,
            ["Salesforce:PrivateKeyPassword"] = "pem-password-1",
            ["Storage:Redis:ConnectionString"] = "redis.internal:6379,password=redis-pass-9,ssl=true",
            ["Tokens:Keys:0:Secret"] = TokenSecret,
            ["Hosting:Role"] = "worker",
        }).Build();
        var redactor = new SecretRedactor(configuration);

        Assert.Superset(new HashSet<string>(["BootstrapKey", "ClientSecret", "PrivateKeyPassword", "ConnectionString", "Secret", "HashSalt"]), new HashSet<string>(SecretRedactor.SecretNames));
        var text = $"consent-hash-salt-value {BootstrapKey} {ClientSecret} pem-password-1 {TokenSecret} redis.internal:6379,password=redis-pass-9,ssl=true password=redis-pass-9 worker";
        Assert.Equal("(hidden) (hidden) (hidden) (hidden) (hidden) redis.internal:6379,password=(hidden),ssl=true password=(hidden) worker", redactor.Redact(text));
    }

    [Fact]
    public async Task A_secret_issued_at_run_time_reaching_a_log_call_is_hidden_in_the_message_its_values_and_its_exception()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = new SfcTestHost()
            .WithEmulator()
            .ConfigureServices(s => s.AddSingleton<ILoggerProvider>(logs));
        await host.StartAsync();
        var apiKey = await host.CreateKeyAsync(SfcRoles.Viewer);
        var accessToken = (await host.Get<SalesforceTokenProvider>().GetTokenAsync(Ct)).AccessToken;
        Assert.Matches("^00D[0-9A-Za-z]{12,15}!", accessToken);
        var prefix = apiKey[..10];

        var logger = host.Get<ILoggerFactory>().CreateLogger("SfCompanion.Test");
        logger.LogWarning("Calling {Url} with {Header} for key {Prefix}… on Lead.Sfc_Email_Clicks__c", "https://org.example/services/data?token=" + accessToken, "Bearer " + accessToken, prefix);
        logger.LogError(new InvalidOperationException($"The caller sent {apiKey} and {SfcTestHost.AdminKey}"), "A request failed");
        logger.LogInformation("Plain {Count} records, {When}", 42, new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));

        var text = logs.Text;
        foreach (var secret in new[] { apiKey, accessToken, SfcTestHost.AdminKey, accessToken[16..] })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        // What is not secret stays readable: the key's prefix, a custom field's name, the exception's type, plain values.
        Assert.Contains($"for key {prefix}… on Lead.Sfc_Email_Clicks__c", text, StringComparison.Ordinal);
        Assert.Contains("with Bearer (hidden)", text, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: The caller sent sfc_(hidden) and (hidden)", text, StringComparison.Ordinal);
        Assert.Contains("Plain 42 records", text, StringComparison.Ordinal);
        // The structured values a JSON log writes one by one are redacted too, numbers kept as numbers.
        Assert.Contains("Header=Bearer (hidden)", logs.Values, StringComparison.Ordinal);
        Assert.Contains($"Url=https://org.example/services/data?token={accessToken[..16]}(hidden)", logs.Values, StringComparison.Ordinal);
        Assert.Contains("Count=42:Int32", logs.Values, StringComparison.Ordinal);
        Assert.DoesNotContain(accessToken, logs.Values, StringComparison.Ordinal);
    }

    /// <summary>Every log line of the host, with its exception.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly ConcurrentQueue<string> _values = new();

        public string Text => string.Join(Environment.NewLine, _lines);

        /// <summary>Each structured value as <c>Name=value:Type</c>, as a JSON console would write them.</summary>
        public string Values => string.Join(Environment.NewLine, _values);

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines, _values);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines, ConcurrentQueue<string> values) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
                if (state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        values.Enqueue($"{key}={value}:{value?.GetType().Name}");
                    }
                }
            }
        }
    }
}
