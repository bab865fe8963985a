using System.Globalization;

namespace SfCompanion.Emulator;

/// <summary>Standalone entry point: <c>dotnet run --project src/SfCompanion.Emulator -- --urls http://127.0.0.1:PORT [--leads N --seed S --latency-ms 50-150]</c>.</summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new EmulatorOptions { Url = "http://127.0.0.1:8085" };
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--urls":
                    options.Url = value.Split(';')[0];
                    break;
                case "--leads":
                    options.DemoLeads = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--seed":
                    options.Seed = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--latency-ms":
                    var parts = value.Split('-');
                    options.LatencyMinMs = int.Parse(parts[0], CultureInfo.InvariantCulture);
                    options.LatencyMaxMs = int.Parse(parts[^1], CultureInfo.InvariantCulture);
                    break;
                case "--api-limit":
                    options.DailyApiRequestLimit = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--client-id":
                    options.ClientId = value;
                    break;
                case "--client-secret":
                    options.ClientSecret = value;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown option {args[i]}. Options: --urls URL --leads N --seed S --latency-ms MIN-MAX --api-limit N --client-id ID --client-secret SECRET");
                    Environment.ExitCode = 2;
                    return;
            }
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        // SIGTERM (service managers, kill, CI scripts) stops it as Ctrl+C does.
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        await using var org = await SalesforceEmulator.StartAsync(options, stop.Token);
        Console.WriteLine($"Salesforce emulator listening on {org.BaseUrl}");
        Console.WriteLine($"  token endpoint: {org.TokenUrl} (client credentials or JWT bearer)");
        Console.WriteLine($"  client id:      {org.ClientId}");
        Console.WriteLine($"  client secret:  {org.ClientSecret}");
        Console.WriteLine($"  username:       {org.DemoUsername}");
        Console.WriteLine($"  login page:     {org.AuthorizeUrl} (web server flow with PKCE) for {string.Join(", ", org.Options.Users.Select(u => u.Username))}");
        Console.WriteLine($"  their password: {string.Join(", ", org.Options.Users.Select(u => u.Password).Distinct(StringComparer.Ordinal))}");
        Console.WriteLine($"  leads:          {org.Data.Count("Lead")}");
        Console.WriteLine("Press Ctrl+C (or send SIGTERM) to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Stopping.");
        }
    }
}
