using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SfCompanion.IntegrationTests.TestHost;

namespace SfCompanion.IntegrationTests.Hosting;

/// <summary>The service and the demo as their own processes, started from another directory and stopped by signals.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-process-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp folder is cleaned anyway.
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Demo_stops_on_a_signal_once_it_serves(string signal)
    {
        using var demo = Start(["demo", "--leads", "1000", "--port", FreePort(), "--data", "."]);
        await demo.WaitForLineAsync("Serving until Ctrl+C.");

        demo.Signal(signal);
        var exitCode = await demo.WaitForExitAsync();

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{demo.Output}");
        Assert.Contains("Stopping.", demo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_started_from_another_directory_reads_its_appsettings_and_keeps_data_in_the_current_directory()
    {
        var port = FreePort();
        using var service = Start(["--urls", $"http://127.0.0.1:{port}"]);
        await service.WaitForLineAsync("Now listening on");
        using (var http = new HttpClient())
        {
            var live = await http.GetAsync($"http://127.0.0.1:{port}/health/live", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        // The console's stylesheet is served (a browser asks for it compressed) outside Development too.
        using (var browserLike = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.All }))
        {
            var signIn = await browserLike.GetStringAsync($"http://127.0.0.1:{port}/console/signin", TestContext.Current.CancellationToken);
            var css = System.Text.RegularExpressions.Regex.Match(signIn, "href=\"(/console/console[^\"]*\\.css)\"").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(css), signIn);
            var stylesheet = await browserLike.GetStringAsync($"http://127.0.0.1:{port}{css}", TestContext.Current.CancellationToken);
            Assert.Contains(":root", stylesheet, StringComparison.Ordinal);
        }

        service.Signal("TERM");
        var exitCode = await service.WaitForExitAsync();

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{service.Output}");
        // appsettings.json silences per-request logs ("Microsoft.AspNetCore": "Warning"); without it they would show.
        Assert.DoesNotContain("Request starting", service.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "data", "sfcompanion.db")), service.Output);
    }

    [Fact]
    public async Task Service_on_a_taken_port_says_so_in_one_line_naming_the_address_and_the_setting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        using var service = Start(["--urls", address]);

        var exitCode = await service.WaitForExitAsync();

        Assert.True(exitCode == 3, $"exit code {exitCode}{Environment.NewLine}{service.Output}");
        var line = Assert.Single(service.Lines, l => l.Contains("cannot start", StringComparison.Ordinal));
        Assert.Equal($"SfCompanion cannot start: {address} is already in use by another process. Choose another address with --urls (or ASPNETCORE_URLS), e.g. --urls http://127.0.0.1:5081.", line);
        AssertNoStackTrace(service.Output);
    }

    [Fact]
    public async Task Demo_on_a_taken_port_names_its_port_option()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        using var demo = Start(["demo", "--leads", "1000", "--port", port, "--data", "."]);

        var exitCode = await demo.WaitForExitAsync();

        Assert.True(exitCode == 3, $"exit code {exitCode}{Environment.NewLine}{demo.Output}");
        var line = Assert.Single(demo.Lines, l => l.Contains("cannot start", StringComparison.Ordinal));
        Assert.Contains($"http://127.0.0.1:{port} is already in use by another process. Choose another address with --port P", line, StringComparison.Ordinal);
        AssertNoStackTrace(demo.Output);
    }

    [Fact]
    public async Task Service_whose_data_folder_cannot_be_created_names_the_setting_without_a_stack_trace()
    {
        var file = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(file, "not a folder", TestContext.Current.CancellationToken);
        using var service = Start(["--urls", $"http://127.0.0.1:{FreePort()}", "--Storage:Sqlite:Path=" + Path.Combine(file, "data", "sfcompanion.db")]);

        var exitCode = await service.WaitForExitAsync();

        Assert.True(exitCode == 2, $"exit code {exitCode}{Environment.NewLine}{service.Output}");
        Assert.Contains("Storage:Sqlite:Path = '" + Path.Combine(file, "data", "sfcompanion.db") + "': cannot create the folder", service.Output, StringComparison.Ordinal);
        AssertNoStackTrace(service.Output);
    }

    [Fact]
    public async Task Service_with_Redis_unreachable_names_the_setting_and_hides_its_password_and_every_secret()
    {
        const string redisPassword = "redis-password-7d1e9c";
        const string bootstrapKey = "sfc_too-short-secret-5k2";
        const string clientSecret = "sf-client-secret-41b7c0";
        const string tokenSecret = "c2hvcnQtdG9rZW4tc2VjcmV0";
        using var service = Start([
            "--urls", $"http://127.0.0.1:{FreePort()}",
            "--store", "Redis",
            $"--Storage:Redis:ConnectionString=127.0.0.1:1,password={redisPassword}",
            "--Storage:Redis:ConnectTimeoutMilliseconds=500",
            "--Admin:BootstrapKey=" + bootstrapKey,
            "--Tokens:Keys:0:Id=k1",
            "--Tokens:Keys:0:Secret=" + tokenSecret,
            "--Salesforce:LoginUrl=http://127.0.0.1:1",
            "--Salesforce:AuthFlow=ClientCredentials",
            "--Salesforce:ClientId=sfc-test",
            "--Salesforce:ClientSecret=" + clientSecret,
        ]);

        var exitCode = await service.WaitForExitAsync();

        Assert.True(exitCode == 2, $"exit code {exitCode}{Environment.NewLine}{service.Output}");
        Assert.Contains("Storage:Redis:ConnectionString = '", service.Output, StringComparison.Ordinal);
        Assert.Contains("Redis is unreachable", service.Output, StringComparison.Ordinal);
        Assert.Contains("Admin:BootstrapKey = '(hidden, 24 characters)': must be at least 32 characters", service.Output, StringComparison.Ordinal);
        foreach (var secret in new[] { redisPassword, bootstrapKey, clientSecret, tokenSecret })
        {
            Assert.DoesNotContain(secret, service.Output, StringComparison.Ordinal);
        }

        AssertNoStackTrace(service.Output);
    }

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotMatch(@"(?m)^\s+at [A-Za-z_.]+", output);
        Assert.DoesNotMatch(@"\b[A-Z][A-Za-z]*Exception\b", output);
    }

    [Fact]
    public async Task A_second_process_on_the_same_click_journal_stops_with_one_line_naming_the_setting()
    {
        var firstPort = FreePort();
        using var first = Start(["--urls", $"http://127.0.0.1:{firstPort}"]);
        await first.WaitForLineAsync("Now listening on");

        using var second = Start(["--urls", $"http://127.0.0.1:{FreePort()}"]);
        var exitCode = await second.WaitForExitAsync();

        Assert.True(exitCode == 3, $"exit code {exitCode}{Environment.NewLine}{second.Output}");
        Assert.Contains("SfCompanion cannot start: The click journal in", second.Output, StringComparison.Ordinal);
        Assert.Contains("Tracking:JournalDirectory", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Output, StringComparison.Ordinal);
        first.Signal("TERM");
        Assert.Equal(0, await first.WaitForExitAsync());
    }

    private ServiceProcess Start(string[] args) => ServiceProcess.Start(_directory, args);

    private static string FreePort() => ServiceProcess.FreePort().ToString(CultureInfo.InvariantCulture);
}
