using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SfCompanion.Salesforce;

/// <summary>Instruments of the <c>SfCompanion.Salesforce</c> meter.</summary>
public sealed class SalesforceMetrics : IDisposable
{
    public const string MeterName = "SfCompanion.Salesforce";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _budgetRefusals;

    public SalesforceMetrics(IMeterFactory? meterFactory, QuotaGuard quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        if (meterFactory is null)
        {
            _meter = new Meter(MeterName);
            _ownsMeter = true;
        }
        else
        {
            _meter = meterFactory.Create(MeterName);
        }

        _requests = _meter.CreateCounter<long>("sfcompanion.salesforce.requests", "{request}", "HTTP calls made to Salesforce, retries included.");
        _duration = _meter.CreateHistogram<double>("sfcompanion.salesforce.request.duration", "s", "Duration of HTTP calls to Salesforce.");
        _budgetRefusals = _meter.CreateCounter<long>("sfcompanion.salesforce.budget.refusals", "{call}", "Calls refused by the quota guard.");
        _meter.CreateObservableGauge("sfcompanion.salesforce.api.used", () => quota.LastApiUsage?.Used ?? 0, "{request}", "Daily API requests used by the org (last Sforce-Limit-Info).");
        _meter.CreateObservableGauge("sfcompanion.salesforce.api.limit", () => quota.LastApiUsage?.Limit ?? 0, "{request}", "Daily API request limit of the org.");
    }

    internal void RecordRequest(string operation, int? statusCode, TimeSpan elapsed)
    {
        var tags = new TagList { { "operation", operation }, { "http.response.status_code", statusCode ?? 0 } };
        _requests.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    internal void RecordBudgetRefusal(BudgetExhaustedReason reason) =>
        _budgetRefusals.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
