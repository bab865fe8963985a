using System.Globalization;
using System.Linq.Expressions;
using SfCompanion.Formulas;

namespace SfCompanion.Rules.Projection;

/// <summary>Number, currency, percent and integer fields, and numeric roll-ups.</summary>
public sealed class NumberColumn(string field) : Column(field)
{
    private decimal[] _values = [];
    private bool[] _has = [];

    public override FormulaType Type => FormulaType.Number;

    public decimal? Get(int row) => _has[row] ? _values[row] : null;

    public void SetValue(int row, decimal? value)
    {
        _has[row] = value.HasValue;
        _values[row] = value.GetValueOrDefault();
    }

    protected override void Grow(int capacity)
    {
        Array.Resize(ref _values, capacity);
        Array.Resize(ref _has, capacity);
    }

    public override void Set(int row, string? text) =>
        SetValue(row, decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null);

    public override Expression Read(Expression row) => Call(nameof(Get), row);

    public override string? Text(int row) => _has[row] ? _values[row].ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>Clears rows 0 to <paramref name="rows"/> (roll-ups start from blank).</summary>
    public void Clear(int rows)
    {
        Array.Clear(_has, 0, Math.Min(rows, _has.Length));
        Array.Clear(_values, 0, Math.Min(rows, _values.Length));
    }
}
