using System.Linq.Expressions;
using SfCompanion.Formulas;

namespace SfCompanion.Rules.Projection;

/// <summary>A checkbox: never blank (a missing value reads as false, as in Salesforce).</summary>
public sealed class BoolColumn(string field) : Column(field)
{
    private bool[] _values = [];

    public override FormulaType Type => FormulaType.Boolean;

    public bool Get(int row) => _values[row];

    protected override void Grow(int capacity) => Array.Resize(ref _values, capacity);

    public override void Set(int row, string? text) => _values[row] = string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);

    public override Expression Read(Expression row) => Call(nameof(Get), row);

    public override string? Text(int row) => _values[row] ? "true" : "false";
}
