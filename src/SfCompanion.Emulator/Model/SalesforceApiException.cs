namespace SfCompanion.Emulator.Model;

/// <summary>An error Salesforce would report with an <c>errorCode</c>; the REST layer turns it into the error body.</summary>
public sealed class SalesforceApiException : Exception
{
    public SalesforceApiException(string errorCode, string message, IReadOnlyList<string>? fields = null, int statusCode = 400)
        : base(message)
    {
        ErrorCode = errorCode;
        Fields = fields ?? [];
        StatusCode = statusCode;
    }

    public SalesforceApiException()
        : this("UNKNOWN_EXCEPTION", "An unexpected error occurred.")
    {
    }

    public SalesforceApiException(string message)
        : this("UNKNOWN_EXCEPTION", message)
    {
    }

    public SalesforceApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = "UNKNOWN_EXCEPTION";
        Fields = [];
        StatusCode = 500;
    }

    public string ErrorCode { get; }

    public IReadOnlyList<string> Fields { get; }

    public int StatusCode { get; }
}
