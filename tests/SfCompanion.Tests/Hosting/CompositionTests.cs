using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SfCompanion.Consent;
using SfCompanion.Hosting;
using SfCompanion.Jobs;
using SfCompanion.Recipients;
using SfCompanion.Storage;
using SfCompanion.Tracking;

namespace SfCompanion.Tests.Hosting;

/// <summary>Capabilities' <c>Add…</c> methods are safe to call twice and from several capabilities.</summary>
public sealed class CompositionTests
{
    private static WebApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return builder;
    }

    [Fact]
    public void Shared_registrations_are_added_once_when_reached_from_several_capabilities()
    {
        var builder = Builder();
        builder.AddTracking();
        builder.AddConsent();
        builder.AddRecipientTokens();
        builder.AddTracking();

        var services = builder.Services;
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<RecipientTokenOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IOptionsRules<RecipientTokenOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(RecipientTokens));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<TrackingOptions>));
        var jobs = services.Select(d => d.ImplementationInstance).OfType<JobDefinition>().Select(j => j.Name).ToList();
        Assert.Equal(jobs.Distinct().Count(), jobs.Count);
        Assert.Contains("sync", jobs);
        Assert.Contains("writeback", jobs);
        Assert.Contains(ClickAggregationJob.Name, jobs);
        Assert.Contains(ConsentSalesforceImportJob.Name, jobs);
    }

    [Theory]
    [InlineData("Tracking:ClickDurability", "Sometimes", "must be 'Journal'")]
    [InlineData("Tracking:JournalFsyncMilliseconds", "0", "must be between 10 and 60000")]
    public void A_bad_click_durability_setting_is_reported_with_its_key_its_value_and_what_is_expected(string key, string value, string expected)
    {
        var data = Directory.CreateTempSubdirectory("sfc-composition-").FullName;
        try
        {
            var builder = Builder((key, value), ("Storage:Sqlite:Path", Path.Combine(data, "s.db")));
            builder.AddStorage();
            builder.AddTracking();
            using var provider = builder.Services.BuildServiceProvider();

            var problems = provider.RunStartupChecks();

            var problem = Assert.Single(problems, p => p.StartsWith($"{key} = '{value}'", StringComparison.Ordinal));
            Assert.Contains(expected, problem, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void A_bad_setting_is_reported_once_even_when_its_capability_was_added_twice()
    {
        var data = Directory.CreateTempSubdirectory("sfc-composition-").FullName;
        try
        {
            var builder = Builder(("Tracking:FollowUpDueDays", "999"), ("Storage:Sqlite:Path", Path.Combine(data, "s.db")));
            builder.AddStorage();
            builder.AddTracking();
            builder.AddTracking();
            builder.AddStorage();
            using var provider = builder.Services.BuildServiceProvider();

            var problems = provider.RunStartupChecks();

            Assert.Single(problems, p => p.StartsWith("Tracking:FollowUpDueDays = '999'", StringComparison.Ordinal));
            Assert.Equal(problems.Distinct(StringComparer.Ordinal).Count(), problems.Count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void A_job_name_cannot_be_taken_by_two_job_types()
    {
        var services = new ServiceCollection();
        services.AddSfcJob<ClickRetentionJob>("same-name", "0 0 * * * ?");
        services.AddSfcJob<ClickRetentionJob>("same-name", "0 0 * * * ?");

        var error = Assert.Throws<ArgumentException>(() => services.AddSfcJob<ClickAggregationJob>("same-name", "0 0 * * * ?"));
        Assert.Contains("already taken by ClickRetentionJob", error.Message, StringComparison.Ordinal);
        Assert.Single(services, d => d.ImplementationInstance is JobDefinition);
    }
}
