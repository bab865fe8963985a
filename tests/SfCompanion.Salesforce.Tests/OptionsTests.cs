using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SfCompanion.Salesforce.Tests;

public class OptionsTests
{
    [Fact]
    public void Validator_reports_every_problem_at_once()
    {
        var options = new SalesforceOptions
        {
            LoginUrl = "http://acme.example.com/path",
            AuthFlow = SalesforceAuthFlow.JwtBearer,
            ClientId = "",
            PrivateKeyPath = "/nonexistent/key.pem",
        };
        options.Budget.MaxRunPercentOfDailyLimit = 90;
        options.Budget.StopAtUsedPercent = 80;

        var result = new SalesforceOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("LoginUrl must use https", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ClientId", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Username", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("/nonexistent/key.pem", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MaxRunPercentOfDailyLimit", StringComparison.Ordinal));
    }

    [Fact]
    public void Client_credentials_needs_a_secret_and_a_my_domain()
    {
        var result = new SalesforceOptionsValidator().Validate(null, new SalesforceOptions
        {
            LoginUrl = "https://login.salesforce.com",
            AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = "key",
        });

        Assert.Equal(2, result.Failures!.Count());
    }

    [Fact]
    public void Factory_refuses_invalid_options_with_one_readable_message()
    {
        var error = Assert.Throws<OptionsValidationException>(() => SalesforceClientFactory.Create(new SalesforceOptions { ClientId = "", ApiVersion = "v66" }));

        Assert.Contains("ApiVersion", error.Message, StringComparison.Ordinal);
        Assert.Contains("ClientId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSalesforceClient_binds_the_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:LoginUrl"] = "https://acme.my.salesforce.com",
            ["Salesforce:AuthFlow"] = "ClientCredentials",
            ["Salesforce:ClientId"] = "key",
            ["Salesforce:ClientSecret"] = "secret",
            ["Salesforce:ApiVersion"] = "65.0",
            ["Salesforce:Budget:StopAtUsedPercent"] = "70",
        }).Build();
        var services = new ServiceCollection();

        services.AddSalesforceClient(configuration.GetSection(SalesforceOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SalesforceOptions>>().Value;
        Assert.Equal("65.0", options.ApiVersion);
        Assert.Equal(70, options.Budget.StopAtUsedPercent);
        Assert.NotNull(provider.GetRequiredService<ISalesforceClient>());
        Assert.Same(provider.GetRequiredService<QuotaGuard>(), provider.GetRequiredService<ISalesforceClient>().Quota);
    }

    [Fact]
    public void Bad_configuration_fails_on_first_use_with_every_problem()
    {
        var services = new ServiceCollection();
        services.AddSalesforceClient(o => o.ClientId = "");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SalesforceOptions>>().Value);

        Assert.True(error.Failures.Count() >= 3);
    }
}
