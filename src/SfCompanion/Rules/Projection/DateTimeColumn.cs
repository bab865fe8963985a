using System.Linq.Expressions;
using SfCompanion.Formulas;
using SfCompanion.Salesforce;

namespace SfCompanion.Rules.Projection;

/// <summary>Date/time fields (UTC), as ticks (0 is blank).</summary>
public sealed class DateTimeColumn(string field) : Column(field)
{
    private long[] _ticks = [];

    public override FormulaType Type => FormulaType.DateTime;

    public DateTime? Get(int row) => _ticks[row] == 0 ? null : new DateTime(_ticks[row], DateTimeKind.Utc);

    public void SetValue(int row, DateTime? value) => _ticks[row] = value?.Ticks ?? 0;

    protected override void Grow(int capacity) => Array.Resize(ref _ticks, capacity);

    public override void Set(int row, string? text) =>
        SetValue(row, text is not null && SalesforceDateTime.TryParse(text, out var at) ? at.UtcDateTime : null);

    public override Expression Read(Expression row) => Call(nameof(Get), row);

    public override string? Text(int row) => Get(row) is { } d ? SalesforceDateTime.Format(new DateTimeOffset(d)) : null;

    public void Clear(int rows) => Array.Clear(_ticks, 0, Math.Min(rows, _ticks.Length));
}
