namespace SfCompanion.Rotation;

/// <summary>
/// A rotation pool: the suspect flow of a scoring routine, optionally narrowed by a segment formula, shared among
/// reps by weighted round robin within their caps, with an SLA after which an untouched suspect goes to the next rep.
/// </summary>
public sealed record RotationPool
{
    /// <summary>Lower-case letters, digits and dashes (e.g. <c>publishers-north</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>The scoring routine whose suspect flow feeds the pool.</summary>
    public string Routine { get; init; } = "";

    public IReadOnlyList<PoolRep> Reps { get; init; } = [];

    /// <summary>A Boolean formula on the routine's object restricting the suspects the pool takes (e.g. <c>BEGINS(PostalCode, '59')</c>); blank: all.</summary>
    public string? Segment { get; init; }

    /// <summary>Working days (Mon, Tue…); empty: Monday to Friday.</summary>
    public IReadOnlyList<string> WorkingDays { get; init; } = [];

    /// <summary>Start of the working day, HH:mm, in <see cref="TimeZone"/>.</summary>
    public string DayStart { get; init; } = "09:00";

    /// <summary>End of the working day, HH:mm, in <see cref="TimeZone"/>.</summary>
    public string DayEnd { get; init; } = "18:00";

    /// <summary>IANA time zone of the working days and hours (and of "today" for daily caps).</summary>
    public string TimeZone { get; init; } = "Europe/Paris";

    /// <summary>Working hours a rep has to act on a suspect before it goes to the next rep.</summary>
    public double SlaHours { get; init; } = 16;

    /// <summary>How many times a suspect may go to the next rep; then it stays with its owner (parked).</summary>
    public int MaxRecycles { get; init; } = 2;

    /// <summary>Subject of the follow-up task; <c>{score}</c>, <c>{routine}</c> and <c>{pool}</c> are replaced.</summary>
    public string TaskSubject { get; init; } = "New suspect (score {score}, {routine})";

    /// <summary>The follow-up task is due this many days after the assignment.</summary>
    public int TaskDueDays { get; init; } = 1;

    /// <summary>At most this many suspects assigned per run.</summary>
    public int MaxPerRun { get; init; } = 1000;

    public bool Enabled { get; init; } = true;

    public string? Description { get; init; }
}
