namespace SfCompanion.WebConsole.Rules;

/// <summary>One criterion row of the rule editor, as posted.</summary>
public sealed class CriterionForm
{
    public string? Name { get; set; }

    public string? Formula { get; set; }

    public string? Description { get; set; }
}
