using System.Net;

namespace SfCompanion.Salesforce;

/// <summary>One error as Salesforce reports it (<c>errorCode</c> or <c>statusCode</c>, <c>message</c>, <c>fields</c>).</summary>
public sealed record SalesforceError(string ErrorCode, string Message, IReadOnlyList<string> Fields)
{
    public override string ToString() =>
        Fields.Count == 0 ? $"{ErrorCode}: {Message}" : $"{ErrorCode}: {Message} [{string.Join(", ", Fields)}]";
}

/// <summary>Base type of every error this library raises about Salesforce.</summary>
public class SalesforceException : Exception
{
    public SalesforceException()
    {
    }

    public SalesforceException(string message)
        : base(message)
    {
    }

    public SalesforceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Salesforce refused a call; carries the HTTP status and the Salesforce error array.</summary>
public class SalesforceApiException : SalesforceException
{
    public SalesforceApiException(string operation, HttpStatusCode httpStatus, IReadOnlyList<SalesforceError> errors, Exception? innerException = null)
        : base(BuildMessage(operation, httpStatus, errors), innerException)
    {
        Operation = operation;
        HttpStatus = httpStatus;
        Errors = errors;
    }

    /// <summary>The operation name used in call counts (e.g. <c>query</c>, <c>collections.create</c>).</summary>
    public string Operation { get; }

    public HttpStatusCode HttpStatus { get; }

    /// <summary>All errors in the response; <see cref="ErrorCode"/> is the first one's.</summary>
    public IReadOnlyList<SalesforceError> Errors { get; }

    /// <summary>Salesforce <c>errorCode</c>, e.g. <c>MALFORMED_QUERY</c>, <c>INVALID_FIELD</c>, <c>UNABLE_TO_LOCK_ROW</c>.</summary>
    public string ErrorCode => Errors.Count > 0 ? Errors[0].ErrorCode : "UNKNOWN";

    public string SalesforceMessage => Errors.Count > 0 ? Errors[0].Message : "";

    public IReadOnlyList<string> Fields => Errors.Count > 0 ? Errors[0].Fields : [];

    private static string BuildMessage(string operation, HttpStatusCode status, IReadOnlyList<SalesforceError> errors) =>
        $"Salesforce {operation} failed with HTTP {(int)status}: "
        + (errors.Count == 0 ? "(no error body)" : string.Join("; ", errors));
}

/// <summary>
/// <c>getUpdated</c>/<c>getDeleted</c> window problems: <c>INVALID_REPLICATION_DATE</c> (start older than the
/// 30 days Salesforce keeps) or <c>EXCEEDED_ID_LIMIT</c> (more than 600,000 ids; use a smaller window).
/// </summary>
public sealed class SalesforceReplicationWindowException : SalesforceApiException
{
    public SalesforceReplicationWindowException(string operation, HttpStatusCode httpStatus, IReadOnlyList<SalesforceError> errors)
        : base(operation, httpStatus, errors)
    {
    }

    public bool WindowTooLarge => ErrorCode == "EXCEEDED_ID_LIMIT";

    public bool StartTooOld => ErrorCode == "INVALID_REPLICATION_DATE";
}

/// <summary>Authentication against the token endpoint failed; <see cref="Explanation"/> names the likely cause.</summary>
public sealed class SalesforceAuthException : SalesforceException
{
    public SalesforceAuthException(string? error, string? errorDescription, string explanation, HttpStatusCode? httpStatus = null, Exception? innerException = null)
        : base($"Salesforce authentication failed ({error ?? "no error code"}: {errorDescription ?? "no description"}). {explanation}", innerException)
    {
        Error = error;
        ErrorDescription = errorDescription;
        Explanation = explanation;
        HttpStatus = httpStatus;
    }

    /// <summary>OAuth <c>error</c>, e.g. <c>invalid_grant</c>, <c>invalid_client_id</c>.</summary>
    public string? Error { get; }

    /// <summary>OAuth <c>error_description</c> as sent by Salesforce.</summary>
    public string? ErrorDescription { get; }

    /// <summary>What is most likely wrong and how to fix it.</summary>
    public string Explanation { get; }

    public HttpStatusCode? HttpStatus { get; }
}

/// <summary>Why the quota guard refused a call.</summary>
public enum BudgetExhaustedReason
{
    /// <summary>The current run spent its share of the daily limit.</summary>
    RunBudget,

    /// <summary>The org as a whole used more than the configured percentage of its daily limit.</summary>
    DailyThreshold,

    /// <summary>Salesforce answered <c>REQUEST_LIMIT_EXCEEDED</c>; calls pause for the cool-down.</summary>
    OrgLimitExceeded,
}

/// <summary>
/// The API budget is spent: stop cleanly and resume later. Thrown before the call is made, except for
/// <see cref="BudgetExhaustedReason.OrgLimitExceeded"/> (thrown after the single refused call).
/// </summary>
public sealed class SalesforceBudgetExhaustedException : SalesforceException
{
    public SalesforceBudgetExhaustedException(BudgetExhaustedReason reason, string message, ApiUsage? usage, DateTimeOffset? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        Usage = usage;
        RetryAfter = retryAfter;
    }

    public BudgetExhaustedReason Reason { get; }

    /// <summary>Last known org usage.</summary>
    public ApiUsage? Usage { get; }

    /// <summary>Earliest time worth trying again, when known.</summary>
    public DateTimeOffset? RetryAfter { get; }
}

/// <summary>A Bulk API 2.0 job failed, was aborted or did not finish in time.</summary>
public sealed class SalesforceBulkJobException : SalesforceException
{
    public SalesforceBulkJobException(string jobId, string state, string? errorMessage)
        : base($"Bulk job {jobId} ended in state {state}: {errorMessage ?? "no error message"}")
    {
        JobId = jobId;
        State = state;
        ErrorMessage = errorMessage;
    }

    public string JobId { get; }

    public string State { get; }

    public string? ErrorMessage { get; }
}
