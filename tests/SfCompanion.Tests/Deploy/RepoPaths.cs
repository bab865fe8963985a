namespace SfCompanion.Tests.Deploy;

/// <summary>Files of the repository the deployment tests read (the folder holding <c>SfCompanion.sln</c>).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SfCompanion.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SfCompanion.sln not found above " + AppContext.BaseDirectory);
    }
}
