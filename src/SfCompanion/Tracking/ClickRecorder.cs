using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SfCompanion.Hosting;
using SfCompanion.Storage;

namespace SfCompanion.Tracking;

/// <summary>
/// Records the redirect's clicks per <c>Tracking:ClickDurability</c>: in <c>Journal</c> mode one write to the local
/// <see cref="ClickJournal"/> on the request's thread (the <see cref="ClickJournalDrainer"/> moves it to the click log),
/// in <c>Fsync</c> mode through the group commit, answering once the click is durable in the click log. Should the
/// journal fail, the click goes through the group commit instead.
/// </summary>
public sealed partial class ClickRecorder : IDisposable
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private readonly GroupCommitLog _log;
    private readonly ILogger<ClickRecorder> _logger;

    public ClickRecorder(IOptions<TrackingOptions> options, IOptions<StorageOptions> storage, IConfiguration configuration, GroupCommitLog log, ILogger<ClickRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(configuration);
        _log = log;
        _logger = logger;
        // Only where the redirect runs: a worker never records a click.
        if (options.Value.UsesJournal && configuration.Roles().RunsWeb)
        {
            // A container restarting in the same pod may find its previous process, or a replica moving its clicks, still
            // letting go of the journal.
            Journal = new ClickJournal(JournalDirectoryOf(options.Value, storage.Value), lockWait: TimeSpan.FromSeconds(15));
        }
    }

    /// <summary>The journal in <c>Journal</c> mode where the web role runs; null otherwise.</summary>
    public ClickJournal? Journal { get; }

    /// <summary><c>Tracking:JournalDirectory</c>, or <c>click-journal</c> in the SQLite file's folder.</summary>
    public static string JournalDirectoryOf(TrackingOptions tracking, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        ArgumentNullException.ThrowIfNull(storage);
        return Path.GetFullPath(string.IsNullOrWhiteSpace(tracking.JournalDirectory)
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storage.Sqlite.Path)) ?? ".", "click-journal")
            : tracking.JournalDirectory);
    }

    /// <summary>Records one click; completes at once in <c>Journal</c> mode, once durable in the click log in <c>Fsync</c> mode.</summary>
    public ValueTask RecordAsync(ClickEvent click)
    {
        if (Journal is { } journal)
        {
            try
            {
                journal.Append(Encode(click));
                return ValueTask.CompletedTask;
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                LogJournalFailed(_logger, ex);
            }
        }

        // Not tied to the request: once queued the click is written anyway.
        return new ValueTask(_log.AppendAsync(ClickEvent.Log, JsonSerializer.Serialize(click, ClickJsonContext.Default.ClickEvent), CancellationToken.None));
    }

    /// <summary>The click as UTF-8 JSON, in a buffer of this thread's (valid until its next call).</summary>
    internal static ReadOnlySpan<byte> Encode(ClickEvent click)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, click, ClickJsonContext.Default.ClickEvent);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    public void Dispose() => Journal?.Dispose();

    [LoggerMessage(Level = LogLevel.Error, Message = "The click journal could not be written; the click goes to the click log directly")]
    private static partial void LogJournalFailed(ILogger logger, Exception exception);
}
