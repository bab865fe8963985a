using System.Globalization;
using SfCompanion.Rotation;

namespace SfCompanion.WebConsole.Rotation;

/// <summary>
/// A pool's settings other than its reps, as posted by its page (<c>Settings.SlaHours</c>, <c>Settings.WorkingDays</c>…).
/// Reading it names the field and the value that is not a number; the rest is checked by the rotation service.
/// </summary>
public sealed class PoolSettingsForm
{
    /// <summary>The days offered, Monday first, as the pool stores them.</summary>
    public static readonly IReadOnlyList<string> Days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    public string? Routine { get; set; }

    public string? Segment { get; set; }

    public List<string> WorkingDays { get; set; } = [];

    public string? DayStart { get; set; }

    public string? DayEnd { get; set; }

    public string? TimeZone { get; set; }

    public string? SlaHours { get; set; }

    public string? MaxRecycles { get; set; }

    public string? TaskSubject { get; set; }

    public string? TaskDueDays { get; set; }

    public string? MaxPerRun { get; set; }

    public bool Enabled { get; set; }

    public string? Description { get; set; }

    public static PoolSettingsForm From(RotationPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new()
        {
            Routine = pool.Routine,
            Segment = pool.Segment,
            WorkingDays = pool.WorkingDays.Count == 0 ? ["Mon", "Tue", "Wed", "Thu", "Fri"] : [.. pool.WorkingDays],
            DayStart = pool.DayStart,
            DayEnd = pool.DayEnd,
            TimeZone = pool.TimeZone,
            SlaHours = pool.SlaHours.ToString(CultureInfo.InvariantCulture),
            MaxRecycles = pool.MaxRecycles.ToString(CultureInfo.InvariantCulture),
            TaskSubject = pool.TaskSubject,
            TaskDueDays = pool.TaskDueDays.ToString(CultureInfo.InvariantCulture),
            MaxPerRun = pool.MaxPerRun.ToString(CultureInfo.InvariantCulture),
            Enabled = pool.Enabled,
            Description = pool.Description,
        };
    }

    /// <summary><paramref name="pool"/> with these settings (its name and reps kept), or the first value that is not a number.</summary>
    public (RotationPool? Pool, string? Error) ApplyTo(RotationPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (!TryNumber(SlaHours, "SLA (working hours)", "16", out var sla, out var error)
            || !TryWhole(MaxRecycles, "recycles at most", "2", out var recycles, out error)
            || !TryWhole(TaskDueDays, "task due after (days)", "1", out var due, out error)
            || !TryWhole(MaxPerRun, "assignments per run at most", "1000", out var perRun, out error))
        {
            return (null, error);
        }

        // Only known day names are kept, in week order; none ticked reads as Monday to Friday.
        var days = Days.Where(d => WorkingDays.Contains(d, StringComparer.OrdinalIgnoreCase)).ToList();
        return (pool with
        {
            Routine = Routine?.Trim() ?? "",
            Segment = Blank(Segment),
            WorkingDays = days,
            DayStart = DayStart?.Trim() ?? "",
            DayEnd = DayEnd?.Trim() ?? "",
            TimeZone = TimeZone?.Trim() ?? "",
            SlaHours = sla,
            MaxRecycles = recycles,
            TaskSubject = TaskSubject?.Trim() ?? "",
            TaskDueDays = due,
            MaxPerRun = perRun,
            Enabled = Enabled,
            Description = Blank(Description),
        }, null);
    }

    private static bool TryNumber(string? text, string label, string example, out double value, out string? error)
    {
        error = null;
        if (double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
        {
            return true;
        }

        error = $"{label} = '{Shorten(text)}': write a number such as {example}.";
        return false;
    }

    private static bool TryWhole(string? text, string label, string example, out int value, out string? error)
    {
        error = null;
        if (int.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        error = $"{label} = '{Shorten(text)}': write a whole number such as {example}.";
        return false;
    }

    private static string Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text ?? "";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
