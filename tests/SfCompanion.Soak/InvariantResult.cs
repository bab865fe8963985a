namespace SfCompanion.Soak;

/// <summary>One invariant: what it promises, how many things were checked, and each violation (the record and what is wrong).</summary>
internal sealed class InvariantResult(string name)
{
    public string Name { get; } = name;

    public long Checked { get; set; }

    public List<string> Violations { get; } = [];

    /// <summary>Things left out of the check, with why (records a rep deleted in the org).</summary>
    public long Exempt { get; set; }

    public void Violation(string message) => Violations.Add(message);
}
