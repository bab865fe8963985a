namespace SfCompanion.Soak;

/// <summary>
/// Where the service and the emulator were built: their own output folders, in the harness's configuration (the project
/// references build them), so each runs as its own process exactly as deployed.
/// </summary>
internal sealed record SoakPaths(string Root, string ServiceDll, string EmulatorDll)
{
    public static SoakPaths Find()
    {
        // bin/<Configuration>/<TargetFramework>/ of this harness.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "SfCompanion.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"SfCompanion.sln not found above {AppContext.BaseDirectory}");
        }

        var service = Path.Combine(root.FullName, "src", "SfCompanion", "bin", configuration, framework, "SfCompanion.dll");
        var emulator = Path.Combine(root.FullName, "src", "SfCompanion.Emulator", "bin", configuration, framework, "SfCompanion.Emulator.dll");
        foreach (var dll in new[] { service, emulator })
        {
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: build with `dotnet build tests/SfCompanion.Soak -c {configuration}` first.");
            }
        }

        return new SoakPaths(root.FullName, service, emulator);
    }
}
