using System.Net.Http.Json;
using System.Text.Json;

namespace SfCompanion.Soak;

/// <summary>The standalone emulator's control endpoints (<c>/__emulator</c>): faults, the API allowance, a rep's changes.</summary>
internal sealed class EmulatorControl(HttpClient http)
{
    public async Task SetFaultsAsync(object settings, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/__emulator/faults", settings, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> GetFaultsAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<JsonElement>("/__emulator/faults", cancellationToken);

    public async Task SetApiUsedAsync(int used, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/__emulator/limits", new { used }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A rep edits a record in the org; false when the record is gone.</summary>
    public async Task<bool> UpdateRecordAsync(string id, IReadOnlyDictionary<string, object?> fields, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/__emulator/records/{id}") { Content = JsonContent.Create(fields) };
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    public async Task<bool> DeleteRecordAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(new Uri($"/__emulator/records/{id}", UriKind.Relative), cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
