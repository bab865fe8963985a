using System.Diagnostics;
using System.Text.Json;

namespace SfCompanion.Emulator.Tests;

/// <summary>
/// A widely used third-party client (jsforce, run with node) works against the emulator unchanged.
/// Without node the test is skipped, except in CI (CI=true) where a missing node is a failure.
/// </summary>
public class JsforceFidelityTests : OrgTestBase
{
    private static readonly string ScriptDirectory = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "jsforce");

    [Fact]
    public async Task Jsforce_QueriesPagesUpdatesCollectionsSendsCompositeAndRunsBulkJobs()
    {
        var node = FindOnPath("node");
        var npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "node and npm are required in CI");
            Assert.Skip("node/npm not installed");
        }

        var directory = Path.GetFullPath(ScriptDirectory);
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "jsforce")))
        {
            var (installCode, installOutput) = await RunAsync(npm, File.Exists(Path.Combine(directory, "package-lock.json")) ? "ci --no-audit --no-fund" : "install --no-audit --no-fund", directory, []);
            Assert.True(installCode == 0, installOutput);
        }

        for (var i = 0; i < 450; i++)
        {
            InsertLead($"Lead{i:000}");
        }

        var (code, output) = await RunAsync(node, "fidelity.mjs", directory, new()
        {
            ["SF_INSTANCE_URL"] = Org.BaseUrl,
            ["SF_CLIENT_ID"] = Org.ClientId,
            ["SF_CLIENT_SECRET"] = Org.ClientSecret,
        });

        Assert.True(code == 0, output);
        var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(Org.Data.AdminUserId, result.GetProperty("userId").GetString());
        Assert.Equal(450, result.GetProperty("queried").GetInt32());
        Assert.Equal(450, result.GetProperty("totalSize").GetInt32());
        Assert.Equal("Admin SfCompanion", result.GetProperty("firstOwner").GetString());
        Assert.True(result.GetProperty("updated").GetInt32() == 150, output);
        Assert.Equal(300, result.GetProperty("ingestSuccessful").GetInt32());
        Assert.Equal(0, result.GetProperty("ingestFailed").GetInt32());
        Assert.Equal(300, result.GetProperty("bulkQueried").GetInt32());
        Assert.Equal("Bulk & Co, SA", result.GetProperty("bulkCompany").GetString());
        Assert.Equal(["vip:200", "bad:400", "limits:200"], result.GetProperty("compositeStatuses").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(150, result.GetProperty("compositeVip").GetInt32());
        Assert.Equal("INVALID_FIELD", result.GetProperty("compositeError").GetString());
        // The allowance seen by the limits subrequest is the one before the call minus the composite call alone.
        Assert.Equal(1, result.GetProperty("compositeCalls").GetInt32());
        Assert.Equal(150, Org.Data.Query("SELECT COUNT() FROM Lead WHERE Sfc_Vip__c = true")[0]["COUNT()"]);
        Assert.Equal(750, Org.Data.Count("Lead"));
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static async Task<(int Code, string Output)> RunAsync(string file, string arguments, string directory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
