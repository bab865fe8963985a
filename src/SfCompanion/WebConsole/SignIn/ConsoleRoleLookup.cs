using Microsoft.Extensions.Options;
using SfCompanion.Salesforce;

namespace SfCompanion.WebConsole;

/// <summary>
/// The console role of a Salesforce user: the highest role whose permission set is assigned to them, read with the
/// service's own Salesforce connection (one query on <c>PermissionSetAssignment</c>).
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
        // The names are checked API names (letters, digits, underscores) and the id is checked above: nothing to escape.
        var soql = "SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '" + userId + "' AND PermissionSet.Name IN ('"
            + string.Join("', '", mapped.Select(m => m.PermissionSet)) + "')";
        var assigned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var record in salesforce.QueryAsync(soql, cancellationToken: cancellationToken))
        {
            if (record.GetString("PermissionSet.Name") is { } name)
            {
                assigned.Add(name);
            }
        }

        return mapped.FirstOrDefault(m => assigned.Contains(m.PermissionSet)).Role;
    }
}
