using System.Linq.Expressions;

namespace SfCompanion.Formulas;

/// <summary>
/// The data types of the formula language. Each maps to one CLR type in compiled code:
/// <see cref="Boolean"/> is <c>bool</c> (a checkbox is never blank), <see cref="Number"/> is <c>decimal?</c>
/// (Currency, Percent, Double and Int fields are all Number), <see cref="Text"/>, <see cref="Picklist"/> and
/// <see cref="MultiPicklist"/> are <c>string</c> (blank is <c>null</c> or empty), <see cref="Date"/> is
/// <c>DateOnly?</c> and <see cref="DateTime"/> is <c>DateTime?</c> in UTC.
/// </summary>
public enum FormulaType
{
    Boolean,
    Number,
    Text,
    Date,
    DateTime,

    /// <summary>A single-select picklist: its value is text, but it may only be used in ISPICKVAL, CASE, TEXT, ISBLANK and ISNULL.</summary>
    Picklist,

    /// <summary>A multi-select picklist, values separated by semicolons: only INCLUDES, ISBLANK and ISNULL accept it.</summary>
    MultiPicklist,

    /// <summary>The type of the literal <c>NULL</c>: it takes the type its context expects.</summary>
    Null,
}

/// <summary>Resolves field references. The compiler never learns where data lives; the schema says what exists and its type.</summary>
public interface IFormulaSchema
{
    /// <summary>
    /// Resolves <paramref name="path"/> (e.g. <c>["Account", "Industry"]</c>) from <paramref name="rootObject"/> (e.g. <c>"Lead"</c>).
    /// Returns <see langword="null"/> when the path does not exist. Matching should be case-insensitive, like Salesforce's.
    /// </summary>
    FormulaField? Resolve(string rootObject, IReadOnlyList<string> path);
}

/// <summary>A resolved field.</summary>
/// <param name="Path">The canonical path as resolved, e.g. <c>Account.Industry</c>.</param>
/// <param name="Type">The field's formula type.</param>
/// <param name="BindingKey">Anything the binder needs to find the data (a column index, an array...). Variables use <c>"var:&lt;name&gt;"</c>.</param>
public sealed record FormulaField(string Path, FormulaType Type, object? BindingKey = null);

/// <summary>Turns a field reference into an expression reading its value for one record.</summary>
public interface IFormulaBinder
{
    /// <summary>
    /// Returns an expression of the CLR type for <see cref="FormulaField.Type"/> (<c>bool</c>, <c>decimal?</c>, <c>string</c>,
    /// <c>DateOnly?</c>, <c>DateTime?</c>; picklists <c>string</c>) reading the value of <paramref name="field"/> for the record
    /// number <paramref name="row"/> (an <c>int</c> parameter). A non-nullable <c>decimal</c>, <c>DateOnly</c> or <c>DateTime</c>
    /// and a <c>bool?</c> (blank is false) are accepted too.
    /// </summary>
    Expression Bind(FormulaField field, ParameterExpression row);
}

/// <summary>Compilation options.</summary>
/// <param name="BlankAsZero">
/// Salesforce's "Treat blank fields as zeroes": a blank Number field reads as 0 (so ISBLANK of a Number field is then false).
/// Text fields are blank as empty text in both modes; Date and DateTime fields stay blank.
/// </param>
/// <param name="Variables">
/// Extra named identifiers (e.g. the names of a rule's criteria), resolved before fields, case-insensitively. Each is bound
/// through the binder as a <see cref="FormulaField"/> whose Path is the name and BindingKey <c>"var:&lt;name&gt;"</c>.
/// </param>
public sealed record FormulaOptions(bool BlankAsZero = false, IReadOnlyDictionary<string, FormulaType>? Variables = null);

/// <summary>
/// Per-evaluation state passed to a compiled formula: the clock used by TODAY() and NOW(), and the count of records whose
/// evaluation failed (division by zero, VALUE() of non-numeric text, an invalid DATE(), a bad regular expression...).
/// A failed record evaluates to blank (false for a Boolean formula). A runtime is not thread-safe: use one per thread
/// (the counter is a plain field) and add the counts up afterwards.
/// </summary>
public sealed class FormulaRuntime
{
    /// <summary>A runtime whose TODAY() and NOW() are the current UTC date and time.</summary>
    public FormulaRuntime()
        : this(DateTime.UtcNow)
    {
    }

    /// <summary>A runtime evaluating "as of" <paramref name="now"/> (UTC); TODAY() is its date.</summary>
    public FormulaRuntime(DateTime now)
    {
        Now = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        Today = DateOnly.FromDateTime(now);
    }

    /// <summary>The value of TODAY().</summary>
    public DateOnly Today { get; set; }

    /// <summary>The value of NOW(), UTC.</summary>
    public DateTime Now { get; set; }

    /// <summary>The number of records whose evaluation failed since this runtime was created (or reset by the caller).</summary>
    public long Errors { get; set; }

    // Set by a failing operation during the evaluation of one record; the compiled formula checks and clears it.
    internal bool Failed;
}
