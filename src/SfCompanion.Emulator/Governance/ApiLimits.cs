namespace SfCompanion.Emulator.Governance;

/// <summary>The org's daily API request allowance, counted per REST call like Salesforce's DailyApiRequests.</summary>
public sealed class ApiLimits
{
    private int _used;

    internal ApiLimits(int dailyLimit) => DailyApiRequestLimit = dailyLimit;

    public int DailyApiRequestLimit { get; set; }

    public int ApiCallsUsed => Volatile.Read(ref _used);

    public int Remaining => Math.Max(0, DailyApiRequestLimit - ApiCallsUsed);

    /// <summary>Starts a new day: the counter goes back to zero.</summary>
    public void Reset() => Interlocked.Exchange(ref _used, 0);

    /// <summary>Sets the counter, for tests that need an almost exhausted allowance.</summary>
    public void SetUsed(int used) => Interlocked.Exchange(ref _used, used);

    internal bool TryConsume()
    {
        while (true)
        {
            var used = Volatile.Read(ref _used);
            if (used >= DailyApiRequestLimit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _used, used + 1, used) == used)
            {
                return true;
            }
        }
    }

    internal string Header => $"api-usage={ApiCallsUsed}/{DailyApiRequestLimit}";
}
