using System.Linq.Expressions;
using SfCompanion.Formulas;

namespace SfCompanion.Rules.Projection;

/// <summary>
/// Text, picklists and ids, dictionary-encoded: one <c>int</c> code per row and each distinct value stored once
/// (a million leads share a few hundred industries, cities or owner ids). Code 0 is blank.
/// </summary>
public sealed class TextColumn(string field, FormulaType type) : Column(field)
{
    private int[] _codes = [];
    private string?[] _values = [null];
    private readonly Dictionary<string, int> _codeOf = new(StringComparer.Ordinal);

    public override FormulaType Type { get; } = type;

    /// <summary>Distinct non-blank values held.</summary>
    public int DistinctValues => _codeOf.Count;

    public int Code(int row) => _codes[row];

    public string? ValueOf(int code) => _values[code];

    public string? Get(int row) => _values[_codes[row]];

    protected override void Grow(int capacity) => Array.Resize(ref _codes, capacity);

    public override void Set(int row, string? text) => _codes[row] = Encode(text);

    public override Expression Read(Expression row) => Call(nameof(Get), row);

    public override string? Text(int row) => Get(row);

    private int Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (_codeOf.TryGetValue(text, out var code))
        {
            return code;
        }

        code = _codeOf.Count + 1;
        if (code >= _values.Length)
        {
            Array.Resize(ref _values, Math.Max(16, _values.Length * 2));
        }

        _values[code] = text;
        _codeOf[text] = code;
        return code;
    }
}
