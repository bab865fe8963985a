using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;
using SfCompanion.Rules;
using SfCompanion.Salesforce;

namespace SfCompanion.Benchmarks;

/// <summary>
/// The VIP rule of <see cref="RulesBenchmarks"/> in an embedded analytical engine instead of the columnar projection:
/// the same mirror (<see cref="RulesBenchmarkData"/>) read through <see cref="Sync.Mirror.ListAsync"/> into an
/// in-memory DuckDB database with typed columns, then the rule as SQL, (a) with the 24-month roll-up computed in the
/// query (what a what-if changing the roll-up's filter costs) and (b) with the roll-up materialised in a table (what a
/// what-if changing only a criterion costs). The set-up prints the load time, the memory the database adds to the
/// process and the match count, checked against the projection's.
/// </summary>
[MemoryDiagnoser]
public class DuckDbRulesBenchmarks
{
    private static readonly DateOnly WonFrom = RulesBenchmarkData.Today.AddMonths(-24);
    private static readonly DateOnly CreatedFrom = RulesBenchmarkData.Today.AddMonths(-36);

    /// <summary>Criteria and consent exclusion as in <see cref="DeserialisingBaseline"/>, the roll-up read from <paramref name="won24"/>.</summary>
    private static string RuleSql(string won24) => $"""
        SELECT count(*)
        FROM lead l
        LEFT JOIN {won24} w ON w.AccountId = l.ConvertedAccountId
        WHERE (l.NumberOfEmployees >= 200 OR l.AnnualRevenue > 5000000)
          AND l.Industry IN ('Technology', 'Finance', 'Banking')
          AND l.OwnerId IN (SELECT Id FROM "user" WHERE IsActive)
          AND (CAST(l.CreatedDate AS DATE) >= DATE '{CreatedFrom:yyyy-MM-dd}' OR coalesce(w.Won_24m, 0) > 10000)
          AND l.HasOptedOutOfEmail IS NOT TRUE
        """;

    private static readonly string Won24Sql = $"""
        SELECT AccountId, sum(Amount) AS Won_24m
        FROM opportunity
        WHERE IsWon AND CloseDate >= DATE '{WonFrom:yyyy-MM-dd}' AND AccountId IS NOT NULL
        GROUP BY AccountId
        """;

    private DuckDBConnection _connection = null!;
    private DuckDBCommand _withRollup = null!;
    private DuckDBCommand _materialised = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var data = await RulesBenchmarkData.OpenAsync();
        try
        {
            var (heapBeforeEngine, workingSetBeforeEngine) = Memory();
            var started = Stopwatch.GetTimestamp();
            _connection = new DuckDBConnection("DataSource=:memory:");
            _connection.Open();
            var opened = Stopwatch.GetElapsedTime(started);
            var (heapBefore, workingSetBefore) = Memory();
            started = Stopwatch.GetTimestamp();
            Execute("""
                CREATE TABLE "user" (Id VARCHAR, IsActive BOOLEAN);
                CREATE TABLE account (Id VARCHAR);
                CREATE TABLE lead (Id VARCHAR, NumberOfEmployees INTEGER, AnnualRevenue DECIMAL(18, 2), Industry VARCHAR, OwnerId VARCHAR,
                    HasOptedOutOfEmail BOOLEAN, ConvertedAccountId VARCHAR, CreatedDate TIMESTAMP);
                CREATE TABLE opportunity (Id VARCHAR, AccountId VARCHAR, Amount DECIMAL(18, 2), CloseDate DATE, IsWon BOOLEAN);
                """);
            var rows = 0L;
            using (var appender = _connection.CreateAppender("user"))
            {
                await foreach (var user in data.Mirror.ListAsync("User"))
                {
                    appender.CreateRow().AppendValue(user.Id).AppendValue(Boolean(user["IsActive"])).EndRow();
                    rows++;
                }
            }

            using (var appender = _connection.CreateAppender("account"))
            {
                await foreach (var account in data.Mirror.ListAsync("Account"))
                {
                    appender.CreateRow().AppendValue(account.Id).EndRow();
                    rows++;
                }
            }

            using (var appender = _connection.CreateAppender("lead"))
            {
                await foreach (var lead in data.Mirror.ListAsync("Lead"))
                {
                    appender.CreateRow()
                        .AppendValue(lead.Id)
                        .AppendValue(int.TryParse(lead["NumberOfEmployees"], CultureInfo.InvariantCulture, out var employees) ? employees : (int?)null)
                        .AppendValue(Number(lead["AnnualRevenue"]))
                        .AppendValue(lead["Industry"])
                        .AppendValue(lead["OwnerId"])
                        .AppendValue(Boolean(lead["HasOptedOutOfEmail"]))
                        .AppendValue(lead["ConvertedAccountId"])
                        .AppendValue(SalesforceDateTime.TryParse(lead["CreatedDate"], out var created) ? created.UtcDateTime : (DateTime?)null)
                        .EndRow();
                    rows++;
                }
            }

            using (var appender = _connection.CreateAppender("opportunity"))
            {
                await foreach (var opportunity in data.Mirror.ListAsync("Opportunity"))
                {
                    var close = opportunity["CloseDate"];
                    appender.CreateRow()
                        .AppendValue(opportunity.Id)
                        .AppendValue(opportunity["AccountId"])
                        .AppendValue(Number(opportunity["Amount"]))
                        .AppendValue(close is { Length: >= 10 } && DateOnly.TryParseExact(close.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null)
                        .AppendValue(Boolean(opportunity["IsWon"]))
                        .EndRow();
                    rows++;
                }
            }

            var loaded = Stopwatch.GetElapsedTime(started);
            Execute($"CREATE TABLE account_won_24m AS {Won24Sql}");
            var materialised = Stopwatch.GetElapsedTime(started) - loaded;
            var (heapAfter, workingSetAfter) = Memory();
            var engine = Scalar("SELECT CAST(sum(memory_usage_bytes) AS BIGINT) FROM duckdb_memory()");
            Console.WriteLine($"// DuckDB {Scalar("SELECT version()")}, {Scalar("SELECT current_setting('threads')")} threads: {rows:N0} records read from the mirror and appended in {loaded.TotalSeconds:0.0} s; roll-up materialised in {materialised.TotalMilliseconds:N0} ms");
            Console.WriteLine($"// engine opened in {opened.TotalMilliseconds:N0} ms, native library and empty database: managed heap {Mib(heapBefore - heapBeforeEngine)}, working set {Mib(workingSetBefore - workingSetBeforeEngine)}");
            Console.WriteLine($"// memory added by the data: managed heap {Mib(heapAfter - heapBefore)}, working set {Mib(workingSetAfter - workingSetBefore)} (now {Mib(workingSetAfter)}); DuckDB's own accounting {Mib(Convert.ToInt64(engine, CultureInfo.InvariantCulture))}");

            _withRollup = Command(RuleSql($"({Won24Sql})"));
            _materialised = Command(RuleSql("account_won_24m"));
            var withRollup = Rule_with_rollup_in_query();
            var withTable = Rule_with_materialised_rollup();

            // The projection's answer on the same data, then the projection and the store are let go.
            var preview = await data.Rules.PreviewAsync(new RulePreviewRequest { Draft = RulesBenchmarks.Vip with { Name = "draft" }, Sample = 0 });
            Console.WriteLine($"// matches: roll-up in the query {withRollup:N0}, materialised roll-up {withTable:N0}, projection {preview.Matches:N0}");
            if (withRollup != preview.Matches || withTable != preview.Matches)
            {
                throw new InvalidOperationException($"DuckDB counts {withRollup:N0} and {withTable:N0} differ from the projection's {preview.Matches:N0}.");
            }
        }
        finally
        {
            data.Dispose();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _withRollup.Dispose();
        _materialised.Dispose();
        _connection.Dispose();
    }

    /// <summary>The whole rule, the roll-up aggregated from the 1,000,000 opportunities in the same query.</summary>
    [Benchmark]
    public int Rule_with_rollup_in_query() => Convert.ToInt32(_withRollup.ExecuteScalar(), CultureInfo.InvariantCulture);

    /// <summary>The rule reading the roll-up from a table materialised beforehand.</summary>
    [Benchmark]
    public int Rule_with_materialised_rollup() => Convert.ToInt32(_materialised.ExecuteScalar(), CultureInfo.InvariantCulture);

    private DuckDBCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = Command(sql);
        return command.ExecuteScalar();
    }

    private static bool? Boolean(string? text) => text is null ? null : text == "true";

    private static decimal? Number(string? text) => decimal.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static (long Heap, long WorkingSet) Memory()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }

    private static string Mib(long bytes) => $"{bytes / 1024.0 / 1024.0:N1} MiB";
}
