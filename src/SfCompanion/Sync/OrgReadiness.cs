using System.Collections.Concurrent;
using System.Net;
using SfCompanion.Salesforce;

namespace SfCompanion.Sync;

/// <summary>
/// Checks that the org has what SfCompanion uses: every synced object readable with its synced fields, and every field a
/// capability writes (<see cref="IWrittenFields"/>) present and editable by the integration user. Reads the describes
/// the sync keeps (<see cref="SchemaStore"/>) and describes the other objects once; objects with problems are described
/// again at most every <see cref="RecheckInterval"/>, so a fix (deploying <c>connected-app/</c>, assigning the permission
/// set) is seen without a restart, and a healthy org costs no API call after start.
/// </summary>
public sealed partial class OrgReadiness(
    ISalesforceClient client,
    SchemaStore schemas,
    SyncObjectCatalog catalog,
    IEnumerable<IWrittenFields> written,
    TimeProvider time,
    ILogger<OrgReadiness> logger) : IFieldReadiness, IDisposable
{
    /// <summary>How long a report is reused by health probes before the store's describes are read again.</summary>
    public static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(30);

    /// <summary>How often objects with problems are described again (one API call each).</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (SObjectDescribe? Describe, ReadinessProblem? Unreadable, DateTimeOffset At)> _fresh = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile OrgReadinessReport? _report;
    private volatile Dictionary<string, ReadinessProblem> _refused = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The last report, or null before the first check.</summary>
    public OrgReadinessReport? Current => _report;

    public ReadinessProblem? Refusal(string sobject, string field) =>
        _refused.TryGetValue(sobject + "." + field, out var problem) ? problem : _refused.GetValueOrDefault(sobject);

    /// <summary>The report: the last one when younger than <see cref="ReuseFor"/> (unless <paramref name="force"/>), else a new check.</summary>
    public async Task<OrgReadinessReport> CheckAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        if (!force && _report is { } recent && time.GetUtcNow() - recent.CheckedAt < ReuseFor)
        {
            return recent;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!force && _report is { } again && time.GetUtcNow() - again.CheckedAt < ReuseFor)
            {
                return again;
            }

            var report = await RunAsync(cancellationToken);
            var previous = _report;
            _report = report;
            _refused = report.Problems
                .GroupBy(p => p.Target, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            LogChanges(previous, report);
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<OrgReadinessReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fields = written.SelectMany(w => w.Fields()).ToList();
        var synced = catalog.Objects.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
        var objects = synced.Keys.Concat(fields.Select(f => f.Object)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var problems = new List<ReadinessProblem>();
        try
        {
            foreach (var sobject in objects)
            {
                var writers = fields.Where(f => Same(f.Object, sobject)).ToList();
                var capabilities = writers.Select(f => f.Capability).Prepend(synced.ContainsKey(sobject) ? "Sync" : null).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                var (describe, unreadable) = await DescribeAsync(sobject, capabilities, now, cancellationToken);
                if (unreadable is not null)
                {
                    problems.Add(unreadable);
                    continue;
                }

                if (synced.TryGetValue(sobject, out var options))
                {
                    foreach (var field in options.Fields.Where(f => describe!.Field(f) is null))
                    {
                        var by = writers.Where(w => Same(w.Field, field)).Select(w => w.Capability).Prepend("Sync").Distinct(StringComparer.Ordinal).ToList();
                        problems.Add(Missing(sobject, field, by, "read by the sync"));
                    }
                }

                foreach (var group in writers.GroupBy(w => w.Field, StringComparer.OrdinalIgnoreCase))
                {
                    if (problems.Any(p => Same(p.Object, sobject) && Same(p.Field, group.Key)))
                    {
                        continue;
                    }

                    var by = group.Select(w => w.Capability).Distinct(StringComparer.Ordinal).ToList();
                    var field = describe!.Field(group.Key);
                    if (field is null)
                    {
                        problems.Add(Missing(sobject, group.Key, by, "written by " + string.Join(", ", by)));
                    }
                    else if (group.Any(w => w.OnCreate ? !field.Createable : !field.Updateable))
                    {
                        var what = group.All(w => w.OnCreate) ? "cannot be set on create" : "is not editable";
                        problems.Add(new(sobject, field.Name, ReadinessProblem.FieldNotEditable, by,
                            $"{sobject}.{field.Name} {what} by the integration user (written by {string.Join(", ", by)}): {ReadinessProblem.AssignFix}.",
                            ReadinessProblem.AssignFix));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or SalesforceException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Unreachable or refusing authentication: keep what was known, say why it is not current.
            var known = _report?.Problems ?? [];
            return new OrgReadinessReport(now, known, "the org could not be checked: " + ex.Message);
        }

        return new OrgReadinessReport(now, problems, null);
    }

    public void Dispose() => _gate.Dispose();

    private static ReadinessProblem Missing(string sobject, string field, IReadOnlyList<string> capabilities, string use)
    {
        var custom = field.EndsWith("__c", StringComparison.OrdinalIgnoreCase);
        var fix = custom ? ReadinessProblem.DeployFix : ReadinessProblem.AssignFix;
        var what = custom ? "is missing, or hidden from the integration user" : "is hidden from the integration user";
        return new(sobject, field, ReadinessProblem.FieldMissing, capabilities, $"{sobject}.{field} {what} ({use}): {fix}.", fix);
    }

    /// <summary>
    /// The object's describe: the sync's stored one, else the one described here; described again when it had a problem
    /// and <see cref="RecheckInterval"/> has passed (the sync's stored copy is then replaced, so it sees the fix too).
    /// </summary>
    private async Task<(SObjectDescribe? Describe, ReadinessProblem? Unreadable)> DescribeAsync(string sobject, IReadOnlyList<string> capabilities, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hadProblem = _report?.Problems.Any(p => Same(p.Object, sobject)) == true;
        var stored = await schemas.GetAsync(sobject, cancellationToken);
        if (!hadProblem && stored is not null)
        {
            return (stored, null);
        }

        if (_fresh.TryGetValue(sobject, out var cached) && (!hadProblem || now - cached.At < RecheckInterval))
        {
            return (cached.Describe, cached.Unreadable);
        }

        try
        {
            var describe = await client.DescribeAsync(sobject, cancellationToken);
            ReadinessProblem? unreadable = describe.Queryable ? null : Unreadable(sobject, capabilities);
            _fresh[sobject] = (describe, unreadable, now);
            if (stored is not null)
            {
                await schemas.SaveAsync(describe, cancellationToken);
            }

            return (describe, unreadable);
        }
        catch (SalesforceApiException ex) when (ex.HttpStatus is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            var unreadable = Unreadable(sobject, capabilities);
            _fresh[sobject] = (null, unreadable, now);
            return (null, unreadable);
        }
    }

    private static ReadinessProblem Unreadable(string sobject, IReadOnlyList<string> capabilities) =>
        new(sobject, null, ReadinessProblem.ObjectNotReadable, capabilities,
            $"{sobject} is not readable by the integration user (used by {string.Join(", ", capabilities)}): {ReadinessProblem.AssignFix}.", ReadinessProblem.AssignFix);

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private void LogChanges(OrgReadinessReport? previous, OrgReadinessReport report)
    {
        if (report.Error is not null)
        {
            LogNotChecked(report.Error);
        }

        var before = previous?.Problems.Select(p => p.Message).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var problem in report.Problems.Where(p => !before.Contains(p.Message)))
        {
            LogProblem(problem.Message);
        }

        if (previous is { Problems.Count: > 0 } && report.Problems.Count == 0 && report.Error is null)
        {
            LogResolved();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Org readiness: {Problem}")]
    private partial void LogProblem(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Org readiness: {Error}")]
    private partial void LogNotChecked(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Org readiness: every object and field SfCompanion uses is in place")]
    private partial void LogResolved();
}
