namespace SfCompanion.Hosting;

/// <summary>
/// A resource the service needs at start is not usable (a directory locked by another process…): its message is one
/// line naming the resource and the setting that changes it, printed as is instead of a stack trace.
/// </summary>
public sealed class StartupProblemException : IOException
{
    public StartupProblemException()
    {
    }

    public StartupProblemException(string message)
        : base(message)
    {
    }

    public StartupProblemException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
