namespace SfCompanion.Salesforce;

/// <summary>Connection settings for one Salesforce org.</summary>
public sealed class SalesforceOptions
{
    public const string SectionName = "Salesforce";

    /// <summary>REST API version used in <c>/services/data/vXX.X/</c>.</summary>
    public string ApiVersion { get; set; } = "66.0";
}
