using SfCompanion.Formulas;
using SfCompanion.Rules.Projection;
using SfCompanion.Salesforce;

namespace SfCompanion.Rules;

/// <summary>
/// What formulas may reference: the fields of each synced object as Salesforce describes them (types, lookups and
/// their relationship names), followed through parent paths (<c>Account.Owner.IsActive</c>), plus roll-ups as fields
/// of their parent object. Binding keys are <see cref="FieldKey"/>s the projection binder reads.
/// </summary>
public sealed class ProjectionSchema(IReadOnlyDictionary<string, SObjectDescribe> describes, IReadOnlyDictionary<string, RollupDefinition> rollups) : IFormulaSchema
{
    // Objects as Salesforce spells them: the mirror and the projection's tables are read by those names.
    private readonly Dictionary<(string Object, string Name), RollupDefinition> _rollups = rollups.Values
        .Select(r => r with { Object = ObjectName(describes, r.Object), ChildObject = ObjectName(describes, r.ChildObject) })
        .ToDictionary(r => (r.Object.ToUpperInvariant(), r.Name.ToUpperInvariant()));

    private readonly Dictionary<(string, string), FormulaType> _rollupTypes = [];

    public IReadOnlyDictionary<string, SObjectDescribe> Describes { get; } = describes;

    /// <summary>The object's name as Salesforce spells it (<c>contact</c> → <c>Contact</c>), or the name itself when it is not described.</summary>
    public string ObjectName(string sobject) => ObjectName(Describes, sobject);

    private static string ObjectName(IReadOnlyDictionary<string, SObjectDescribe> describes, string sobject) =>
        describes.TryGetValue(sobject ?? "", out var describe) ? describe.Name : sobject!;

    /// <summary>The roll-up defined on <paramref name="sobject"/> under <paramref name="name"/>, if any.</summary>
    public RollupDefinition? Rollup(string sobject, string name) => _rollups.GetValueOrDefault((sobject.ToUpperInvariant(), name.ToUpperInvariant()));

    /// <summary>Records a roll-up's result type once its value formula is known (MIN/MAX of a date is a Date).</summary>
    public void SetRollupType(RollupDefinition rollup, FormulaType type) => _rollupTypes[(rollup.Object.ToUpperInvariant(), rollup.Name.ToUpperInvariant())] = type;

    public FormulaField? Resolve(string rootObject, IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var current = rootObject;
        var hops = new List<Hop>();
        var canonical = new List<string>();
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (Hop(current, path[i]) is not { } hop)
            {
                return null;
            }

            hops.Add(hop.Hop);
            canonical.Add(hop.RelationshipName);
            current = hop.Hop.Target;
        }

        var leaf = path[^1];
        if (Rollup(current, leaf) is { } rollup)
        {
            canonical.Add(rollup.Name);
            var type = _rollupTypes.GetValueOrDefault((rollup.Object.ToUpperInvariant(), rollup.Name.ToUpperInvariant()), FormulaType.Number);
            return new FormulaField(string.Join('.', canonical), type, new FieldKey(hops, rollup.Object, rollup.Name, rollup.Name));
        }

        if (!Describes.TryGetValue(current, out var describe) || describe.Field(leaf) is not { } field)
        {
            return null;
        }

        canonical.Add(field.Name);
        return new FormulaField(string.Join('.', canonical), TypeOf(field), new FieldKey(hops, describe.Name, field.Name));
    }

    /// <summary>A relationship name (<c>Account</c>, <c>Owner</c>, <c>Parent__r</c>) on <paramref name="sobject"/> and where it leads.</summary>
    private (Hop Hop, string RelationshipName)? Hop(string sobject, string relationship)
    {
        if (!Describes.TryGetValue(sobject, out var describe))
        {
            return null;
        }

        var lookup = describe.Relationship(relationship)
            ?? (relationship.EndsWith("__r", StringComparison.OrdinalIgnoreCase) ? describe.Field(relationship[..^3] + "__c") : null);
        if (lookup is null)
        {
            return null;
        }

        // Polymorphic lookups (Owner: Group or User; Who: Contact or Lead) follow the first target that is mirrored.
        var target = lookup.ReferenceTo.FirstOrDefault(t => string.Equals(t, "User", StringComparison.Ordinal) && Describes.ContainsKey(t))
            ?? lookup.ReferenceTo.FirstOrDefault(Describes.ContainsKey);
        return target is null ? null : (new Hop(describe.Name, lookup.Name, Describes[target].Name), lookup.RelationshipName ?? relationship);
    }

    /// <summary>
    /// The roll-ups a rule may use, directly or through other roll-ups' formulas (found by name in its formulas:
    /// a name that only looks like a roll-up costs an extra computation, never a wrong result).
    /// </summary>
    public IReadOnlyList<RollupDefinition> RollupsUsedBy(RuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return RollupsUsedBy(rule.Criteria.Select(c => c.Formula).Append(rule.Combine ?? ""));
    }

    /// <summary>The roll-ups another roll-up's filter and field use, transitively.</summary>
    public IReadOnlyList<RollupDefinition> RollupsUsedBy(RollupDefinition rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        return [.. RollupsUsedBy([rollup.Filter ?? "", rollup.Field ?? ""]).Where(r => r != rollup)];
    }

    private List<RollupDefinition> RollupsUsedBy(IEnumerable<string> formulas)
    {
        var texts = new Queue<string>(formulas);
        var found = new List<RollupDefinition>();
        while (texts.TryDequeue(out var text))
        {
            foreach (var rollup in _rollups.Values)
            {
                if (!found.Contains(rollup) && text.Contains(rollup.Name, StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(rollup);
                    texts.Enqueue(rollup.Filter ?? "");
                    texts.Enqueue(rollup.Field ?? "");
                }
            }
        }

        return found;
    }

    /// <summary>Formula type of a Salesforce field type as describe reports it.</summary>
    public static FormulaType TypeOf(FieldDescribe field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Type.ToLowerInvariant() switch
        {
            "boolean" => FormulaType.Boolean,
            "int" or "double" or "currency" or "percent" or "long" => FormulaType.Number,
            "date" => FormulaType.Date,
            "datetime" => FormulaType.DateTime,
            "picklist" => FormulaType.Picklist,
            "multipicklist" => FormulaType.MultiPicklist,
            _ => FormulaType.Text,
        };
    }
}
