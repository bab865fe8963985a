using SfCompanion.Formulas;
using SfCompanion.Rules;
using SfCompanion.Rules.Projection;
using SfCompanion.Salesforce;

namespace SfCompanion.Scoring;

/// <summary>
/// Computes a routine on the projection: the market (mandatory criteria, consent), the weighted share of points
/// scaled to 100 and rounded half away from zero, the band, and the lifecycle tag — for every record at once.
/// </summary>
public static class ScoringEngine
{
    public static async Task<ScoringEvaluation> EvaluateAsync(ComputeContext context, RoutineDefinition routine, SObjectDescribe describe)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(routine);
        ArgumentNullException.ThrowIfNull(describe);
        var sobject = describe.Name;
        var options = ScoringEvaluation.Options;
        var table = context.View.Table(sobject);
        var errors = context.Runtime.Errors;
        await context.PrepareAsync(routine.Mandatory.Select(c => (sobject, c.Formula, options))
            .Concat(routine.Weighted.Select(c => (sobject, c.Formula, options)))
            .Append((sobject, routine.Tags.Client ?? ScoringDefaults.ClientFormula(sobject), options))
            .Append((sobject, routine.Tags.Prospect ?? ScoringDefaults.ProspectFormula(sobject), options)));

        var inMarket = await MarketAsync(context, routine, sobject, table);
        var contributions = new List<(string, double, float[])>();
        foreach (var criterion in routine.Weighted)
        {
            contributions.Add((criterion.Name, criterion.Weight, await CriterionAsync(context, routine, table, sobject, criterion)));
        }

        foreach (var signal in routine.Signals)
        {
            var value = await SignalAsync(context, routine, describe, signal);
            var shares = new float[table.Rows];
            for (var row = 0; row < shares.Length; row++)
            {
                shares[row] = (float)value(row);
            }

            contributions.Add((signal.Name, signal.Weight, shares));
        }

        var total = contributions.Sum(c => c.Item2);
        var bands = routine.Bands.Count > 0 ? routine.Bands : ScoringDefaults.Bands;
        var score = new int[table.Rows];
        var band = new int[table.Rows];
        Array.Fill(score, -1);
        Array.Fill(band, -1);
        if (!routine.IsMarketOnly)
        {
            var points = new double[table.Rows];
            foreach (var (_, weight, shares) in contributions)
            {
                for (var row = 0; row < points.Length; row++)
                {
                    points[row] += weight * shares[row];
                }
            }

            for (var row = 0; row < table.Rows; row++)
            {
                if (inMarket[row])
                {
                    score[row] = (int)Math.Round(points[row] / total * 100, MidpointRounding.AwayFromZero);
                    band[row] = BandOf(bands, score[row]);
                }
            }
        }

        return new ScoringEvaluation
        {
            Routine = routine,
            Table = table,
            InMarket = inMarket,
            Score = score,
            Band = band,
            Tag = await TagsAsync(context, routine, sobject, table, inMarket),
            Bands = bands,
            Contributions = [.. contributions.Select(c => (c.Item1, c.Item2, (Func<int, double>)(row => c.Item3[row])))],
            TotalWeight = total,
            Errors = context.Runtime.Errors - errors,
        };
    }

    private static int BandOf(IReadOnlyList<BandDefinition> bands, int score)
    {
        for (var i = 0; i < bands.Count; i++)
        {
            if (score >= bands[i].Min && score <= bands[i].Max)
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task<bool[]> MarketAsync(ComputeContext context, RoutineDefinition routine, string sobject, ObjectTable table)
    {
        var market = new bool[table.Rows];
        for (var row = 0; row < table.Rows; row++)
        {
            market[row] = table.IsLive(row);
        }

        var formulas = routine.Mandatory.Select(c => (c.Name, c.Formula)).ToList();
        if (routine.ExcludeOptedOut && sobject is "Lead" or "Contact")
        {
            formulas.Add(("consent", "NOT(HasOptedOutOfEmail)"));
        }

        foreach (var (name, formula) in formulas)
        {
            var compiled = await context.CompileAsync(routine.Name, "mandatory " + name, sobject, formula, FormulaType.Boolean, ScoringEvaluation.Options);
            var holds = RuleEngine.EvaluateOnce(context, table, compiled, ScoringEvaluation.Options, null);
            for (var row = 0; row < table.Rows; row++)
            {
                market[row] = market[row] && holds[row];
            }
        }

        return market;
    }

    /// <summary>The criterion's share (0–1) for every row, evaluated once per state of the projection and kept.</summary>
    private static async Task<float[]> CriterionAsync(ComputeContext context, RoutineDefinition routine, ObjectTable table, string sobject, WeightedCriterion criterion)
    {
        var compiled = await context.CompileAsync(routine.Name, "weighted " + criterion.Name, sobject, criterion.Formula, null, ScoringEvaluation.Options);
        var runtime = context.Runtime;
        var key = string.Join('|', "share", table.Name, compiled.Text, runtime.Today.DayNumber, context.View.StateStamp());
        if (context.View.TryGetShares(key, out var kept))
        {
            return kept;
        }

        var shares = new float[table.Rows];
        switch (compiled.ResultType)
        {
            case FormulaType.Boolean:
                var flags = RuleEngine.EvaluateOnce(context, table, compiled, ScoringEvaluation.Options, null);
                for (var row = 0; row < shares.Length; row++)
                {
                    shares[row] = flags[row] ? 1f : 0f;
                }

                break;
            case FormulaType.Number:
                var number = compiled.AsNumber();
                for (var row = 0; row < shares.Length; row++)
                {
                    if ((row & 0xFFFF) == 0)
                    {
                        context.View.CancellationToken.ThrowIfCancellationRequested();
                    }

                    shares[row] = table.IsLive(row) && number(runtime, row) is { } n ? (float)Math.Clamp(n, 0m, 1m) : 0f;
                }

                break;
            default:
                throw new RuleException([new RuleProblem(routine.Name, "weighted " + criterion.Name,
                    $"Error: Formula result is data type ({compiled.ResultType}); a weighted criterion returns a Boolean or a Number between 0 and 1.", 1, 1)]);
        }

        if (!compiled.Text.Contains("NOW(", StringComparison.OrdinalIgnoreCase))
        {
            context.View.KeepShares(key, shares);
        }

        return shares;
    }

    private static async Task<Func<int, double>> SignalAsync(ComputeContext context, RoutineDefinition routine, SObjectDescribe describe, SignalDefinition signal)
    {
        var part = "signal " + signal.Name;
        var fieldName = ScoringDefaults.SignalField(signal);
        if (fieldName is null || describe.Field(fieldName) is not { Type: "date" or "datetime" } field)
        {
            throw new RuleException([new RuleProblem(routine.Name, part,
                $"The signal reads {describe.Name}.{fieldName ?? "(no field)"}, which is not a date or date/time field of {describe.Name} in Salesforce. Deploy the SfCompanion fields or name another field.")]);
        }

        var type = field.Type == "date" ? FormulaType.Date : FormulaType.DateTime;
        var needs = new List<(string, string, FormulaType)> { (describe.Name, field.Name, type) };
        var consent = signal.Kind == "opt-in" && describe.Field("HasOptedOutOfEmail") is not null;
        if (consent)
        {
            needs.Add((describe.Name, "HasOptedOutOfEmail", FormulaType.Boolean));
        }

        // SfCompanion's own fields are in the mirror from what it wrote, synced or not.
        await context.View.EnsureColumnsAsync(needs);
        var table = context.View.Table(describe.Name);
        var column = table.Column(field.Name)!;
        var optedOut = consent ? (BoolColumn)table.Column("HasOptedOutOfEmail")! : null;
        var today = context.Runtime.Today;
        var halfLife = signal.HalfLifeDays;
        Func<int, DateOnly?> date = column switch
        {
            DateColumn d => d.Get,
            DateTimeColumn t => row => t.Get(row) is { } at ? DateOnly.FromDateTime(at) : null,
            _ => _ => null,
        };
        return row =>
        {
            if (optedOut?.Get(row) == true || date(row) is not { } when)
            {
                return 0;
            }

            var age = Math.Max(0, today.DayNumber - when.DayNumber);
            return Math.Pow(0.5, age / halfLife);
        };
    }

    private static async Task<string[]> TagsAsync(ComputeContext context, RoutineDefinition routine, string sobject, ObjectTable table, bool[] inMarket)
    {
        var client = RuleEngine.EvaluateOnce(context, table, await context.CompileAsync(routine.Name, "tags.client", sobject,
            routine.Tags.Client ?? ScoringDefaults.ClientFormula(sobject), FormulaType.Boolean, ScoringEvaluation.Options), ScoringEvaluation.Options, null);
        var prospect = RuleEngine.EvaluateOnce(context, table, await context.CompileAsync(routine.Name, "tags.prospect", sobject,
            routine.Tags.Prospect ?? ScoringDefaults.ProspectFormula(sobject), FormulaType.Boolean, ScoringEvaluation.Options), ScoringEvaluation.Options, null);
        var tags = new string[table.Rows];
        for (var row = 0; row < table.Rows; row++)
        {
            tags[row] = !inMarket[row] ? ScoringDefaults.OutOfMarket
                : client[row] ? ScoringDefaults.Client
                : prospect[row] ? ScoringDefaults.Prospect
                : ScoringDefaults.Suspect;
        }

        return tags;
    }
}
