using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace SfCompanion.Salesforce;

/// <summary>
/// Adds the bearer token, sends the request to the token's instance URL, and on
/// <c>401 INVALID_SESSION_ID</c> authenticates again and retries exactly once.
/// </summary>
internal sealed class SalesforceAuthHandler(SalesforceTokenProvider tokens) : DelegatingHandler
{
    /// <summary>Base address given to the typed client; requests are moved to the token's instance URL.</summary>
    public static readonly Uri PlaceholderBaseAddress = new("https://salesforce-instance.invalid/");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pathAndQuery = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.PathAndQuery : request.RequestUri?.OriginalString ?? "/";
        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        Prepare(request, token, pathAndQuery);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate(token);
        var fresh = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        Prepare(request, fresh, pathAndQuery);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static void Prepare(HttpRequestMessage request, SalesforceToken token, string pathAndQuery)
    {
        request.RequestUri = new Uri(token.InstanceUrl, pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
    }
}

/// <summary>
/// Innermost handler, once per attempt: enforces the budget, counts the call, records metrics and reads
/// <c>Sforce-Limit-Info</c>.
/// </summary>
internal sealed class SalesforceTelemetryHandler(QuotaGuard quota, SalesforceMetrics metrics, TimeProvider time, bool enforceBudget) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = SalesforceOperations.Classify(request.Method, request.RequestUri);
        if (enforceBudget && quota.Check(admitRecheck: true) is { } refusal)
        {
            metrics.RecordBudgetRefusal(refusal.Reason);
            throw refusal;
        }

        var started = Stopwatch.GetTimestamp();
        int? status = null;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (response.Headers.TryGetValues("Sforce-Limit-Info", out var values)
                && ApiUsage.TryParseHeader(string.Join(',', values), time.GetUtcNow(), out var usage))
            {
                quota.RecordUsage(usage!);
            }

            return response;
        }
        finally
        {
            quota.RecordCall(operation);
            metrics.RecordRequest(operation, status, Stopwatch.GetElapsedTime(started));
        }
    }
}
