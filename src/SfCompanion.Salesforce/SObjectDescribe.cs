using System.Text.Json;

namespace SfCompanion.Salesforce;

/// <summary>What <c>describe</c> says of an object: its name, key prefix, fields, and whether the running user may query it.</summary>
public sealed record SObjectDescribe(string Name, string? KeyPrefix, IReadOnlyList<FieldDescribe> Fields, bool Queryable = true)
{
    /// <summary>The field named <paramref name="name"/> (case-insensitive, as Salesforce matches names), or null.</summary>
    public FieldDescribe? Field(string name) => Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The lookup field whose relationship is <paramref name="relationshipName"/> (<c>Account</c> → <c>AccountId</c>), or null.</summary>
    public FieldDescribe? Relationship(string relationshipName) =>
        Fields.FirstOrDefault(f => string.Equals(f.RelationshipName, relationshipName, StringComparison.OrdinalIgnoreCase));

    internal static SObjectDescribe Parse(JsonElement root)
    {
        var fields = new List<FieldDescribe>();
        if (root.TryGetProperty("fields", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var f in array.EnumerateArray())
            {
                fields.Add(new FieldDescribe(
                    Text(f, "name") ?? "",
                    Text(f, "type") ?? "string",
                    Text(f, "label"),
                    f.TryGetProperty("referenceTo", out var refs) && refs.ValueKind == JsonValueKind.Array ? [.. refs.EnumerateArray().Select(r => r.GetString() ?? "")] : [],
                    Text(f, "relationshipName"),
                    f.TryGetProperty("picklistValues", out var values) && values.ValueKind == JsonValueKind.Array
                        ? [.. values.EnumerateArray().Select(v => Text(v, "value")).OfType<string>()]
                        : [],
                    f.TryGetProperty("custom", out var custom) && custom.ValueKind == JsonValueKind.True,
                    f.TryGetProperty("length", out var length) && length.TryGetInt32(out var l) ? l : 0,
                    Flag(f, "updateable"),
                    Flag(f, "createable")));
            }
        }

        return new SObjectDescribe(Text(root, "name") ?? "", Text(root, "keyPrefix"), fields, Flag(root, "queryable"));
    }

    /// <summary>A permission flag of the describe; true when absent (Salesforce always sends them; older stored describes lack them).</summary>
    private static bool Flag(JsonElement e, string property) =>
        !e.TryGetProperty(property, out var v) || v.ValueKind != JsonValueKind.False;

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
