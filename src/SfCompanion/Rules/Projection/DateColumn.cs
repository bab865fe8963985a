using System.Linq.Expressions;
using SfCompanion.Formulas;
using SfCompanion.Salesforce;

namespace SfCompanion.Rules.Projection;

/// <summary>Date fields and date roll-ups, as day numbers (-1 is blank).</summary>
public sealed class DateColumn(string field) : Column(field)
{
    private int[] _days = [];

    public override FormulaType Type => FormulaType.Date;

    public DateOnly? Get(int row) => _days[row] < 0 ? null : DateOnly.FromDayNumber(_days[row]);

    public void SetValue(int row, DateOnly? value) => _days[row] = value?.DayNumber ?? -1;

    protected override void Grow(int capacity)
    {
        var old = _days.Length;
        Array.Resize(ref _days, capacity);
        Array.Fill(_days, -1, old, capacity - old);
    }

    public override void Set(int row, string? text) => SetValue(row, Parse(text));

    public override Expression Read(Expression row) => Call(nameof(Get), row);

    public override string? Text(int row) => Get(row) is { } d ? SalesforceDateTime.Format(d) : null;

    public void Clear(int rows) => Array.Fill(_days, -1, 0, Math.Min(rows, _days.Length));

    internal static DateOnly? Parse(string? text) =>
        text is { Length: >= 10 } && DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", out var d) ? d : null;
}
