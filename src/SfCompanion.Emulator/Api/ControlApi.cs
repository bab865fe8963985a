using System.Globalization;
using System.Text.Json;
using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator.Api;

/// <summary>
/// The emulator's own control endpoints under <c>/__emulator</c> (only with <see cref="EmulatorOptions.ControlEndpoints"/>):
/// switch faults on and off, set the API allowance, and change or delete records as a rep would in the org, from another
/// process (a soak harness, a script). Not part of Salesforce's API: no token, no API call counted, no injected fault.
/// </summary>
internal static class ControlApi
{
    public const string Prefix = "/__emulator";

    public static void Map(WebApplication app, SalesforceEmulator org)
    {
        var control = app.MapGroup(Prefix);
        control.MapGet("/faults", () => Results.Json(State(org)));
        control.MapPost("/faults", (FaultSettings settings) =>
        {
            var faults = org.Faults;
            if (settings.Clear == true)
            {
                faults.Clear();
            }

            if (Rate(settings.ServiceUnavailableRate, "serviceUnavailableRate") is { } problem503)
            {
                return problem503;
            }

            if (Rate(settings.LockRate, "lockRate") is { } problemLock)
            {
                return problemLock;
            }

            if (Rate(settings.SlowRate, "slowRate") is { } problemSlow)
            {
                return problemSlow;
            }

            faults.ServiceUnavailableRate = settings.ServiceUnavailableRate ?? faults.ServiceUnavailableRate;
            faults.LockRate = settings.LockRate ?? faults.LockRate;
            faults.SlowRate = settings.SlowRate ?? faults.SlowRate;
            if (settings.SlowDelayMs is { } delay)
            {
                faults.SlowDelay = TimeSpan.FromMilliseconds(Math.Clamp(delay, 0, 120_000));
            }

            if (settings.FailNext is > 0)
            {
                faults.FailNextRequests(settings.FailNext.Value, settings.FailStatus ?? 503);
            }

            if (settings.ExpireTokensNow == true)
            {
                faults.ExpireTokensNow();
            }

            return Results.Json(State(org));
        });
        control.MapPost("/limits", (LimitSettings settings) =>
        {
            if (settings.DailyLimit is { } limit)
            {
                org.Limits.DailyApiRequestLimit = Math.Max(1, limit);
            }

            if (settings.Used is { } used)
            {
                org.Limits.SetUsed(Math.Max(0, used));
            }

            return Results.Json(State(org));
        });
        control.MapMethods("/records/{id}", RestApi.Patch, async (HttpContext http, string id) =>
        {
            var body = await JsonSerializer.DeserializeAsync<Dictionary<string, JsonElement>>(http.Request.Body, cancellationToken: http.RequestAborted);
            if (body is null)
            {
                return SfJson.Error(400, "JSON_PARSER_ERROR", "The body must be a JSON object of field names and values.");
            }

            return Write(() => org.Data.Update(id, body.ToDictionary(p => p.Key, p => Clr(p.Value), StringComparer.OrdinalIgnoreCase)));
        });
        control.MapDelete("/records/{id}", (string id) => Write(() => org.Data.Delete(id)));
    }

    private static IResult Write(Action write)
    {
        try
        {
            write();
            return Results.NoContent();
        }
        catch (SalesforceApiException e)
        {
            return SfJson.Error(e);
        }
    }

    private static IResult? Rate(double? rate, string name) => rate is null or (>= 0 and <= 1) ? null
        : SfJson.Error(400, "INVALID_INPUT", $"{name} = {rate.Value.ToString(CultureInfo.InvariantCulture)}: must be between 0 and 1.", [name]);

    private static object? Clr(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Number => value.GetDecimal(),
        _ => value.GetString(),
    };

    private static FaultState State(SalesforceEmulator org) => new(
        org.Faults.ServiceUnavailableRate,
        org.Faults.LockRate,
        org.Faults.SlowRate,
        (int)org.Faults.SlowDelay.TotalMilliseconds,
        org.Faults.InjectedCount,
        org.Limits.ApiCallsUsed,
        org.Limits.DailyApiRequestLimit);

    internal sealed record FaultSettings(
        double? ServiceUnavailableRate,
        double? LockRate,
        double? SlowRate,
        int? SlowDelayMs,
        int? FailNext,
        int? FailStatus,
        bool? ExpireTokensNow,
        bool? Clear);

    internal sealed record LimitSettings(int? Used, int? DailyLimit);

    internal sealed record FaultState(double ServiceUnavailableRate, double LockRate, double SlowRate, int SlowDelayMs, int Injected, int ApiCallsUsed, int DailyApiRequestLimit);
}
