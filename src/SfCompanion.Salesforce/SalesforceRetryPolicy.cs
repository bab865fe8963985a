using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace SfCompanion.Salesforce;

/// <summary>Which failed attempts are retried by the resilience pipeline.</summary>
internal static class SalesforceRetryPolicy
{
    /// <summary>
    /// Creates are not idempotent: a POST to sObject Collections that timed out or got a 5xx may have saved
    /// records, so it is never retried blindly. Everything else the client sends is safe to repeat
    /// (reads, updates, upserts by external id, deletes, Bulk job bookkeeping).
    /// </summary>
    public static bool IsSafeToRetry(HttpRequestMessage? request) =>
        request is not null
        && SalesforceOperations.Classify(request.Method, request.RequestUri) != SalesforceOperations.CollectionsCreate;

    public static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        var request = args.Context.GetRequestMessage() ?? args.Outcome.Result?.RequestMessage;
        if (!IsSafeToRetry(request))
        {
            return false;
        }

        if (args.Outcome.Exception is { } exception)
        {
            return exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = args.Outcome.Result;
        if (response is null)
        {
            return false;
        }

        switch (response.StatusCode)
        {
            case HttpStatusCode.RequestTimeout:
            case HttpStatusCode.TooManyRequests:
            case HttpStatusCode.InternalServerError:
            case HttpStatusCode.BadGateway:
            case HttpStatusCode.ServiceUnavailable:
            case HttpStatusCode.GatewayTimeout:
                return true;
            case HttpStatusCode.BadRequest:
            case HttpStatusCode.Conflict:
                // Record locks clear by themselves; MALFORMED_QUERY, INVALID_FIELD and the rest never do.
                await response.Content.LoadIntoBufferAsync(args.Context.CancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(args.Context.CancellationToken).ConfigureAwait(false);
                return body.Contains("UNABLE_TO_LOCK_ROW", StringComparison.Ordinal);
            default:
                return false;
        }
    }
}
