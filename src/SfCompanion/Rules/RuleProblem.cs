namespace SfCompanion.Rules;

/// <summary>
/// Why a rule or roll-up cannot be saved or computed: which rule, which part (a criterion, the combining formula, a
/// roll-up's filter…), what is wrong and where (1-based line and column in that formula, when known).
/// </summary>
public sealed record RuleProblem(string Rule, string Part, string Message, int? Line = null, int? Column = null)
{
    public override string ToString() => $"{Rule} / {Part}: {Message}";
}

/// <summary>One or more <see cref="RuleProblem"/>s: nothing of the rule is computed or written.</summary>
public sealed class RuleException : Exception
{
    public RuleException(IReadOnlyList<RuleProblem> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public RuleException()
        : this([])
    {
    }

    public RuleException(string message)
        : base(message)
    {
        Problems = [];
    }

    public RuleException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public IReadOnlyList<RuleProblem> Problems { get; } = [];
}
