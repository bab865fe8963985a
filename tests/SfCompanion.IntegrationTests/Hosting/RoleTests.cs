using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Jobs;

namespace SfCompanion.IntegrationTests.Hosting;

/// <summary>What each role serves and runs (docs/configuration.md → Roles).</summary>
public sealed class RoleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Worker_serves_health_and_metrics_only_and_runs_the_scheduler()
    {
        using var host = new SfcTestHost().WithRole("worker");

        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/health/live", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/metrics", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.GetAsync("/api/jobs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous.GetAsync("/r/Xy12Ab34Cd?t=abc", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous.GetAsync("/c/sometoken", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous.GetAsync("/docs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous.GetAsync("/console/signin", Ct)).StatusCode);
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s.GetType() == typeof(JobScheduler));
        Assert.NotNull(host.Services.GetService<ISchedulerFactory>());
    }

    [Fact]
    public async Task Web_serves_the_public_endpoints_and_the_API_without_a_scheduler()
    {
        using var host = new SfcTestHost().WithRole("web");

        Assert.Equal(HttpStatusCode.OK, (await host.Admin.GetAsync("/api/jobs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/openapi/v1.json", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/console/signin", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await host.Anonymous.GetAsync("/console", Ct)).StatusCode);
        // The redirect answers (an unknown link is its own 404 page, not the router's empty one).
        var redirect = await host.Anonymous.GetAsync("/r/Xy12Ab34Cd?t=abc", Ct);
        Assert.Equal(HttpStatusCode.NotFound, redirect.StatusCode);
        Assert.NotEmpty(await redirect.Content.ReadAsStringAsync(Ct));
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s.GetType() == typeof(JobScheduler));
        Assert.Null(host.Services.GetService<ISchedulerFactory>());
    }

    [Fact]
    public async Task All_serves_everything_and_runs_the_scheduler()
    {
        using var host = new SfcTestHost().WithRole("all");

        Assert.Equal(HttpStatusCode.OK, (await host.Admin.GetAsync("/api/jobs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("/health/live", Ct)).StatusCode);
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s.GetType() == typeof(JobScheduler));
    }
}
