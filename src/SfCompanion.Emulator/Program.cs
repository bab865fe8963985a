namespace SfCompanion.Emulator;

public static class Program
{
    public static Task Main(string[] args) => Task.CompletedTask;
}
