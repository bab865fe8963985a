using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SfCompanion.Hosting;

/// <summary>An options class bound from one configuration section.</summary>
public interface ISectionOptions
{
    static abstract string SectionName { get; }
}

/// <summary>Cross-field rules for an options class; report every problem, as "key = 'value': what is expected".</summary>
public interface IOptionsRules<in T>
{
    IEnumerable<string> Check(T options);
}

/// <summary>
/// Validates an options class recursively with its data annotations, naming each problem by its full
/// configuration key and the value found, then applies the class's cross-field rules. Every problem is reported.
/// </summary>
public sealed class SectionValidator<T>(IEnumerable<IOptionsRules<T>> rules) : IValidateOptions<T>
    where T : class, ISectionOptions
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = new List<string>();
        Collect(options, T.SectionName, failures, depth: 0);
        foreach (var rule in rules)
        {
            failures.AddRange(rule.Check(options));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Collect(object instance, string path, List<string> failures, int depth)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(string.Empty))
            {
                var property = instance.GetType().GetProperty(member);
                var value = property?.GetValue(instance);
                var key = member.Length == 0 ? path : $"{path}:{member}";
                var message = (result.ErrorMessage ?? "is invalid").Replace($"The {member} field ", string.Empty, StringComparison.Ordinal)
                    .Replace($"The field {member} ", string.Empty, StringComparison.Ordinal);
                var shown = SecretAttribute.IsSecret(property) ? Hidden(value) : Describe(value);
                failures.Add($"{key} = '{shown}': {message}");
            }
        }

        if (depth > 4)
        {
            return;
        }

        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.PropertyType.IsClass && property.PropertyType != typeof(string)
                && !typeof(IEnumerable).IsAssignableFrom(property.PropertyType) && property.GetValue(instance) is { } child)
            {
                Collect(child, $"{path}:{property.Name}", failures, depth + 1);
            }
        }
    }

    /// <summary>A secret is shown by its length only, enough to see it is too short or empty.</summary>
    private static string Hidden(object? value) => value is string { Length: > 0 } text ? $"(hidden, {text.Length} characters)" : "(empty)";

    private static string Describe(object? value) => value switch
    {
        null => "(empty)",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to its section, validates it at start and records it for the start-up check.
    /// Safe to call twice: the second call adds nothing, so no problem is reported twice.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services)
        where T : class, ISectionOptions
    {
        var builder = services.AddOptions<T>();
        if (services.Any(d => d.ImplementationType == typeof(OptionsStartupCheck<T>)))
        {
            return builder;
        }

        services.AddSingleton<IValidateOptions<T>, SectionValidator<T>>();
        services.AddSingleton<IStartupCheck, OptionsStartupCheck<T>>();
        return builder.BindConfiguration(T.SectionName).ValidateOnStart();
    }

    /// <summary>Adds a cross-field rule for <typeparamref name="T"/>, once however often it is called.</summary>
    public static IServiceCollection AddOptionsRules<T, TRules>(this IServiceCollection services)
        where T : class
        where TRules : class, IOptionsRules<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsRules<T>, TRules>());
        return services;
    }
}

/// <summary>Something checked once before the host starts; returns the problems found.</summary>
public interface IStartupCheck
{
    IEnumerable<string> Run(IServiceProvider services);
}

internal sealed class OptionsStartupCheck<T> : IStartupCheck
    where T : class, ISectionOptions
{
    public IEnumerable<string> Run(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures;
        }
        catch (InvalidOperationException ex)
        {
            // Binding failures ("cannot convert 'abc' to Int32") surface here with the key in the message.
            return [$"{ex.Message} Fix the value or remove it to use the default."];
        }
    }
}
