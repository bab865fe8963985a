using System.ComponentModel.DataAnnotations;

namespace SfCompanion.Salesforce;

/// <summary>How the client obtains its access token.</summary>
public enum SalesforceAuthFlow
{
    /// <summary>OAuth 2.0 JWT bearer flow: an RS256 assertion signed with the connected app's private key.</summary>
    JwtBearer,

    /// <summary>OAuth 2.0 client credentials flow against the org's My Domain token endpoint.</summary>
    ClientCredentials,
}

/// <summary>Connection, retry and budget settings for one Salesforce org.</summary>
public sealed class SalesforceOptions
{
    public const string SectionName = "Salesforce";

    /// <summary>
    /// Base URL of the login server: <c>https://login.salesforce.com</c>, <c>https://test.salesforce.com</c>
    /// or the org's My Domain (<c>https://acme.my.salesforce.com</c>). The token endpoint is
    /// <c>{LoginUrl}/services/oauth2/token</c>.
    /// </summary>
    [Required]
    public string LoginUrl { get; set; } = "https://login.salesforce.com";

    public SalesforceAuthFlow AuthFlow { get; set; } = SalesforceAuthFlow.JwtBearer;

    /// <summary>Consumer key of the connected app / external client app.</summary>
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>Consumer secret; required for the client credentials flow.</summary>
    [DataType(DataType.Password)]
    public string? ClientSecret { get; set; }

    /// <summary>Salesforce username the JWT bearer flow acts as (<c>sub</c> claim).</summary>
    public string? Username { get; set; }

    /// <summary>PEM (PKCS#1/PKCS#8, optionally encrypted) or PFX/PKCS#12 file with the private key for the JWT bearer flow.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>Password of an encrypted PEM or of a PFX file.</summary>
    [DataType(DataType.Password)]
    public string? PrivateKeyPassword { get; set; }

    /// <summary>
    /// <c>aud</c> claim of the JWT assertion. When empty: <c>https://test.salesforce.com</c> for sandboxes,
    /// <c>https://login.salesforce.com</c> for production and My Domain logins, otherwise <see cref="LoginUrl"/>.
    /// </summary>
    public string? JwtAudience { get; set; }

    /// <summary>REST API version (<c>66.0</c>), or <c>latest</c> to use the newest version the org offers (one extra call).</summary>
    [Required]
    [RegularExpression(@"^(\d{2,3}\.0|latest)$", ErrorMessage = "ApiVersion must look like '66.0' or be 'latest'.")]
    public string ApiVersion { get; set; } = "66.0";

    /// <summary>Allows plain HTTP to hosts other than localhost (emulators in a private network only).</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// How long an access token is reused. Salesforce does not return a lifetime for these flows; the org's
    /// session timeout (default 2 hours) decides. A 401 <c>INVALID_SESSION_ID</c> always triggers one refresh.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>Time allowed for one HTTP attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Time allowed for one call including its retries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "02:00:00")]
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries of idempotent calls on 5xx, timeouts and <c>UNABLE_TO_LOCK_ROW</c>.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base delay of the jittered exponential back-off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two attempts, including a server's <c>Retry-After</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>Sforce-Query-Options: batchSize</c> used when the caller does not choose one (200–2000).</summary>
    [Range(200, 2000)]
    public int DefaultQueryBatchSize { get; set; } = 2000;

    /// <summary>Records per sObject Collections call (Salesforce allows at most 200).</summary>
    [Range(1, 200)]
    public int CollectionsChunkSize { get; set; } = 200;

    /// <summary>Times records refused with <c>UNABLE_TO_LOCK_ROW</c> are sent again (they were not saved, so this is safe).</summary>
    [Range(0, 10)]
    public int LockRetryAttempts { get; set; } = 3;

    /// <summary>Largest CSV upload per Bulk API 2.0 ingest job; bigger inputs are split across jobs.</summary>
    [Range(1024, 150_000_000)]
    public long BulkMaxUploadBytes { get; set; } = 100_000_000;

    /// <summary>First wait before polling a Bulk job; doubles up to <see cref="BulkPollMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BulkPollInitialDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan BulkPollMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Give up waiting for a Bulk job after this long (the job keeps running in Salesforce).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BulkJobTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>API budget enforced before every call.</summary>
    public SalesforceBudgetOptions Budget { get; set; } = new();
}

/// <summary>Limits on how much of the org's daily API allowance this client may use.</summary>
public sealed class SalesforceBudgetOptions
{
    /// <summary>Stop when the org has used this percentage of its daily API requests (all clients included).</summary>
    [Range(1, 100)]
    public double StopAtUsedPercent { get; set; } = 80;

    /// <summary>At most this percentage of the daily limit may be spent by one run (see <see cref="QuotaGuard.BeginRun"/>).</summary>
    [Range(0.01, 100)]
    public double MaxRunPercentOfDailyLimit { get; set; } = 20;

    /// <summary>Optional absolute cap on calls per run, used before the org's limit is known.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxCallsPerRun { get; set; }

    /// <summary>
    /// Past <see cref="StopAtUsedPercent"/>, one call goes through this long after the usage was last reported, to read
    /// it again (the allowance is a rolling 24 hours); zero keeps every call refused until another client's call or a
    /// restart reports less.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan UsageRecheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>After <c>REQUEST_LIMIT_EXCEEDED</c>, refuse further calls for this long instead of hammering the org.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan LimitExceededCooldown { get; set; } = TimeSpan.FromMinutes(15);
}
