using SfCompanion;
using SfCompanion.Demo;

if (args.Length > 0 && args[0] == "demo")
{
    return await DemoCommand.RunAsync(args[1..]);
}

var app = SfCompanionApp.Build(args);
if (!await SfCompanionApp.CheckAsync(app))
{
    return 2;
}

await app.RunAsync();
return 0;

public partial class Program;
