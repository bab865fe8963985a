using System.ComponentModel.DataAnnotations;

namespace SfCompanion.Hosting;

/// <summary>
/// Marks an option as a secret (a key, a password, a connection string that may carry one): its value is never shown,
/// neither in start-up problems nor in health answers, problem details or the start-up error line
/// (<see cref="SecretRedactor"/>). It is <c>[DataType(DataType.Password)]</c>, which libraries without a reference to this
/// one (the Salesforce client) use directly.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class SecretAttribute : DataTypeAttribute
{
    public SecretAttribute()
        : base(DataType.Password)
    {
    }

    /// <summary>True for a property marked <see cref="SecretAttribute"/> or <c>[DataType(DataType.Password)]</c>.</summary>
    public static bool IsSecret(System.Reflection.PropertyInfo? property) =>
        property is not null && property.GetCustomAttributes(typeof(DataTypeAttribute), inherit: true).OfType<DataTypeAttribute>().Any(a => a.DataType == DataType.Password);
}
