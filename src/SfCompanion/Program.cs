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

// Resolved now: after a failed start the container is disposed.
var redactor = app.Services.GetRequiredService<SecretRedactor>();
try
{
    await app.RunAsync();
}
catch (Exception ex) when (StartupFailure.Describe(ex, StartupFailure.ServiceAddressSetting) is { } line)
{
    // The address is taken or not allowed: one line naming it and the setting, not a stack trace.
    await Console.Error.WriteLineAsync(redactor.Redact(line));
    return StartupFailure.ExitCode;
}

return 0;

public partial class Program;
