using Microsoft.Extensions.Options;
using SfCompanion.Salesforce;

namespace SfCompanion.WebConsole;

/// <summary>
/// The console role of a Salesforce user: the highest role whose permission set is assigned to them, directly or
/// through a permission set group that contains it, read with the service's own Salesforce connection (one query on
/// <c>PermissionSetAssignment</c>, and one on <c>PermissionSetGroupComponent</c> when the user has groups).
/// </summary>
public sealed class ConsoleRoleLookup(ISalesforceClient salesforce, IOptions<ConsoleSalesforceSignInOptions> options)
{
    /// <summary>The role, or null when the user has none of the mapped permission sets.</summary>
    public async Task<string?> RoleOfAsync(string userId, CancellationToken cancellationToken)
    {
        if (!SalesforceIds.IsWellFormed(userId) || !userId.StartsWith("005", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{userId}' is not a Salesforce user id.", nameof(userId));
        }

        var mapped = options.Value.RolePermissionSets;
        // The names are checked API names (letters, digits, underscores) and the ids are checked: nothing to escape.
        var names = "('" + string.Join("', '", mapped.Select(m => m.PermissionSet)) + "')";
        var assigned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var groups = new HashSet<string>(StringComparer.Ordinal);
        var soql = "SELECT PermissionSet.Name, PermissionSetGroupId FROM PermissionSetAssignment WHERE AssigneeId = '" + userId
            + "' AND (PermissionSet.Name IN " + names + " OR PermissionSetGroupId != null)";
        await foreach (var record in salesforce.QueryAsync(soql, cancellationToken: cancellationToken))
        {
            if (record.GetString("PermissionSet.Name") is { } name)
            {
                assigned.Add(name);
            }

            if (record.GetString("PermissionSetGroupId") is { } group && SalesforceIds.IsWellFormed(group))
            {
                groups.Add(group);
            }
        }

        if (groups.Count > 0)
        {
            var components = "SELECT PermissionSet.Name FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ('" + string.Join("', '", groups)
                + "') AND PermissionSet.Name IN " + names;
            await foreach (var record in salesforce.QueryAsync(components, cancellationToken: cancellationToken))
            {
                if (record.GetString("PermissionSet.Name") is { } name)
                {
                    assigned.Add(name);
                }
            }
        }

        return mapped.FirstOrDefault(m => assigned.Contains(m.PermissionSet)).Role;
    }
}
