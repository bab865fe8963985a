using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;

namespace SfCompanion.Hosting;

/// <summary>
/// One line for a start-up failure that is not a configuration problem (those are the start-up checks'): the address
/// to listen on is taken, not allowed or not this machine's. Names the address, what is wrong and the setting that
/// changes it; or a <see cref="StartupProblemException"/>'s own line. Anything else is left to the caller (it is a
/// fault, shown with its stack trace).
/// </summary>
public static partial class StartupFailure
{
    /// <summary>How the service's own address is chosen.</summary>
    public const string ServiceAddressSetting = "--urls (or ASPNETCORE_URLS), e.g. --urls http://127.0.0.1:5081";

    /// <summary>Exit code of a start that failed outside configuration (configuration problems exit with 2).</summary>
    public const int ExitCode = 3;

    /// <summary>The line to print for <paramref name="exception"/>, or null when it is not a failure this class knows.</summary>
    public static string? Describe(Exception exception, string addressSetting)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Unwrap(exception).OfType<StartupProblemException>().FirstOrDefault() is { } problem)
        {
            return "SfCompanion cannot start: " + problem.Message;
        }

        var bind = Unwrap(exception).FirstOrDefault(e => e is IOException && BindPattern().IsMatch(e.Message));
        if (bind is null)
        {
            return null;
        }

        var address = BindPattern().Match(bind.Message).Groups["address"].Value;
        var reason = Unwrap(bind).Skip(1).FirstOrDefault() switch
        {
            AddressInUseException => "is already in use by another process",
            SocketException { SocketErrorCode: SocketError.AccessDenied } => "may not be listened on by this user (ports below 1024 need privileges)",
            SocketException { SocketErrorCode: SocketError.AddressNotAvailable } => "is not an address of this machine",
            { } other => "cannot be listened on (" + FirstLine(other.Message) + ")",
            null => "cannot be listened on (" + FirstLine(bind.Message) + ")",
        };
        return $"SfCompanion cannot start: {address} {reason}. Choose another address with {addressSetting}.";
    }

    private static IEnumerable<Exception> Unwrap(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                continue;
            }

            yield return e;
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim().TrimEnd('.');

    [GeneratedRegex(@"^Failed to bind to address (?<address>\S+?):?(\s|\.?$)")]
    private static partial Regex BindPattern();
}
