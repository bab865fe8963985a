using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using SfCompanion.Admin;

namespace SfCompanion.Writeback;

public static partial class WritebackApi
{
    public sealed record OutboxView(long Pending, long DeadLetters, IReadOnlyList<OutboxEntry> Items, string? Next);

    public sealed record DeadLettersView(long Count, IReadOnlyList<DeadLetter> Items, string? Next);

    /// <summary>Outbox and dead-letter views (viewer role); re-queue and discard (admin role).</summary>
    public static RouteGroupBuilder MapWritebackApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/outbox", GetOutboxAsync).WithName("GetOutbox").WithSummary("Pending values per record, page by page (after = last key of the previous page).").WithTags("Writeback");
        api.MapGet("/outbox/dead-letters", GetDeadLettersAsync).WithName("GetDeadLetters").WithSummary("Records Salesforce refused, with its error.").WithTags("Writeback");
        api.MapPost("/outbox/dead-letters/{sobject}/{id}/requeue", RequeueAsync).WithName("RequeueDeadLetter")
            .WithSummary("Puts a refused record's values back into the outbox (newer pending values win).").WithTags("Writeback").RequireRole(SfcRoles.Admin);
        api.MapDelete("/outbox/dead-letters/{sobject}/{id}", DiscardAsync).WithName("DiscardDeadLetter")
            .WithSummary("Discards a refused record's values.").WithTags("Writeback").RequireRole(SfcRoles.Admin);
        return api;
    }

    private static async Task<Results<Ok<OutboxView>, ProblemHttpResult>> GetOutboxAsync(Outbox outbox, string? after, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return TypedResults.Problem($"limit = {limit}: must be between 1 and 1000.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        if (InvalidAfter(after) is { } problem)
        {
            return problem;
        }

        var (items, next) = await outbox.ListAsync(after, limit ?? 100, cancellationToken);
        return TypedResults.Ok(new OutboxView(await outbox.CountAsync(cancellationToken), await outbox.CountDeadAsync(cancellationToken), items, next));
    }

    private static async Task<Results<Ok<DeadLettersView>, ProblemHttpResult>> GetDeadLettersAsync(Outbox outbox, string? after, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return TypedResults.Problem($"limit = {limit}: must be between 1 and 1000.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        if (InvalidAfter(after) is { } problem)
        {
            return problem;
        }

        var (items, next) = await outbox.ListDeadAsync(after, limit ?? 100, cancellationToken);
        return TypedResults.Ok(new DeadLettersView(await outbox.CountDeadAsync(cancellationToken), items, next));
    }

    /// <summary>
    /// 400 unless <paramref name="after"/> is absent or has the form of an outbox key (<c>Object/Id</c>, or
    /// <c>+Object/Key</c> for a create): it is the <c>next</c> of an earlier page, never typed by hand.
    /// </summary>
    private static ProblemHttpResult? InvalidAfter(string? after) => after is null || AfterPattern().IsMatch(after)
        ? null
        : TypedResults.Problem(
            title: "Invalid after",
            detail: $"after = '{Rules.RulesApi.Shown(after)}': must be the 'next' value of the previous page (Object/Id), or left out for the first page.",
            statusCode: StatusCodes.Status400BadRequest);

    [GeneratedRegex(@"^\+?[A-Za-z][A-Za-z0-9_]{0,79}/[^\x00-\x1F\x7F]{1,255}$")]
    private static partial Regex AfterPattern();

    private static async Task<Results<NoContent, ProblemHttpResult>> RequeueAsync(Outbox outbox, string sobject, string id, CancellationToken cancellationToken) =>
        await outbox.RequeueAsync(sobject, id, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"No dead letter for {sobject} {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown dead letter");

    private static async Task<Results<NoContent, ProblemHttpResult>> DiscardAsync(Outbox outbox, string sobject, string id, CancellationToken cancellationToken) =>
        await outbox.DiscardDeadAsync(sobject, id, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"No dead letter for {sobject} {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown dead letter");
}
