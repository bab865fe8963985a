using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Jobs;

namespace SfCompanion.IntegrationTests.Jobs;

/// <summary>
/// Three test jobs (progress, failing, gated) with a far-off default schedule, a probe to hold and count them, a fast
/// schedule poll and progress flush, and <c>/api/test/marketer-only</c>: how another capability adds endpoints that need
/// a higher role than the API group's viewer.
/// </summary>
public static class TestJobs
{
    public const string FarCron = "0 0 3 1 1 ?";

    public static SfcTestHost WithTestJobs(this SfcTestHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var probe = new TestJobProbe();
        return host
            .With("Jobs:SchedulePollSeconds", "1")
            .With("Jobs:ProgressFlushMilliseconds", "50")
            .ConfigureServices(services =>
            {
                services.AddSingleton(probe);
                services.AddSfcJob<ProgressTestJob>("progress", FarCron, "UTC", "Reports progress, API calls and a warning.");
                services.AddSfcJob<FailingTestJob>("failing", FarCron, "Europe/Paris", "Always fails.");
                services.AddSfcJob<GatedTestJob>("gated", FarCron, "UTC", "Runs until the test opens its gate.");
            })
            .MapEndpoints(endpoints => endpoints.MapApiGroup().MapGroup("").RequireRole(SfcRoles.Marketer).MapGet("/test/marketer-only", () => "ok"));
    }

    extension(SfcTestHost host)
    {
        /// <summary>The probe of the host's test jobs.</summary>
        public TestJobProbe Probe => host.Get<TestJobProbe>();
    }
}

/// <summary>Lets tests hold a job mid-run and count executions.</summary>
public sealed class TestJobProbe
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _runs;

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Runs => Volatile.Read(ref _runs);

    public Task Gate => _gate.Task;

    public void OpenGate() => _gate.TrySetResult();

    internal void Count() => Interlocked.Increment(ref _runs);
}

public sealed class ProgressTestJob(TestJobProbe probe) : ISfcJob
{
    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        probe.Count();
        for (var i = 1; i <= 4; i++)
        {
            context.ReportProgress(i * 25, 100, "counting");
            context.AddApiCalls(2);
            await Task.Yield();
        }

        context.Warn("a warning for the record");
    }
}

public sealed class FailingTestJob(TestJobProbe probe) : ISfcJob
{
    public Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        probe.Count();
        context.ReportProgress(3, 10, "before the failure");
        throw new InvalidOperationException("Salesforce said no");
    }
}

public sealed class GatedTestJob(TestJobProbe probe) : ISfcJob
{
    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        probe.Count();
        context.ReportProgress(7, 70, "waiting for the gate");
        probe.Started.TrySetResult();
        await probe.Gate.WaitAsync(cancellationToken);
        context.ReportProgress(70, 70, "done");
    }
}
