using SfCompanion.Hosting;
using SfCompanion.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.AddSfCompanionHosting(args);
builder.Services.AddStorage();

var app = builder.Build();
app.MapSfCompanionHosting();

var problems = app.Services.RunStartupChecks();
if (problems.Count > 0)
{
    await Console.Error.WriteLineAsync(
        $"SfCompanion cannot start: the configuration has {problems.Count} problem(s):{Environment.NewLine}  - " +
        string.Join(Environment.NewLine + "  - ", problems) + Environment.NewLine +
        "Settings come from appsettings.json, secrets.json (or SFCOMPANION_SECRETS_FILE), environment variables (Section__Key) and --Section:Key=value.");
    return 2;
}

await app.RunAsync();
return 0;

public partial class Program;
