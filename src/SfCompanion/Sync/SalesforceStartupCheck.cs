using Microsoft.Extensions.Options;
using SfCompanion.Hosting;
using SfCompanion.Salesforce;

namespace SfCompanion.Sync;

/// <summary>Reports every problem of the <c>Salesforce</c> section with the others at start.</summary>
internal sealed class SalesforceStartupCheck : IStartupCheck
{
    public IEnumerable<string> Run(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<SalesforceOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures;
        }
        catch (InvalidOperationException ex)
        {
            return [ex.Message];
        }
    }
}
