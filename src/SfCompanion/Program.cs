using SfCompanion;
using SfCompanion.Demo;
using SfCompanion.Hosting;

if (args.Length > 0 && args[0] == "demo")
{
    return await DemoCommand.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "healthcheck")
{
    // The container image's HEALTHCHECK: the image has no curl, so the service checks itself.
    return await HealthCheckCommand.RunAsync(args[1..]);
}

var app = SfCompanionApp.Build(args);
if (!await SfCompanionApp.CheckAsync(app))
{
    return 2;
}

await app.RunAsync();
return 0;

public partial class Program;
