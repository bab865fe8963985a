namespace SfCompanion.WebConsole;

/// <summary>A Salesforce user who signed in correctly but has none of the console's permission sets.</summary>
public sealed class ConsoleSignInRefusedException : Exception
{
    public ConsoleSignInRefusedException()
    {
    }

    public ConsoleSignInRefusedException(string message)
        : base(message)
    {
    }

    public ConsoleSignInRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
