namespace SfCompanion.Hosting;

public static class HostingRoles
{
    /// <summary>The process's roles as configured (<c>Hosting:Role</c>, <c>--role</c>), read before the host is built.</summary>
    public static HostingOptions Roles(this IConfiguration configuration) =>
        configuration.GetSection(HostingOptions.SectionName).Get<HostingOptions>() ?? new HostingOptions();
}
