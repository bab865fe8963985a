using System.Globalization;

namespace SfCompanion.Hosting;

/// <summary>
/// <c>SfCompanion healthcheck [url]</c>: exit code 0 when <c>/health/live</c> answers 200, 1 otherwise. For container
/// HEALTHCHECKs (the runtime image has no curl); the default address is the container's port
/// (<c>ASPNETCORE_HTTP_PORTS</c>, 8080).
/// </summary>
public static class HealthCheckCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split([';', ','])[0];
        var url = args.Length > 0 ? args[0] : string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/health/live");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(url)).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync("healthcheck: " + url + ": " + ex.Message).ConfigureAwait(false);
            return 1;
        }
    }
}
