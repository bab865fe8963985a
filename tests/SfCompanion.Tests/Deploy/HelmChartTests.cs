using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace SfCompanion.Tests.Deploy;

/// <summary>
/// The Helm chart without Helm: values.yaml and every example validate against values.schema.json, wrong values are
/// refused with a message naming them, and every <c>.Values.…</c> path the templates use exists in values.yaml and in
/// the schema.
/// </summary>
public sealed partial class HelmChartTests
{
    private static readonly string Chart = RepoPaths.Of("charts", "sfcompanion");
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(Chart, "values.schema.json"))));

    private static JsonNode? Defaults => Yaml.Load(Path.Combine(Chart, "values.yaml"));

    private static List<string> Errors(JsonNode? values)
    {
        var result = Schema.Value.Evaluate(Yaml.ToElement(values), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        // Failures inside an "if" are how if/then picks its branch, not errors.
        return [.. (result.Details ?? []).Append(result)
            .Where(d => d.Errors is { Count: > 0 } && !d.EvaluationPath.ToString().Contains("/if", StringComparison.Ordinal))
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .Distinct()];
    }

    public static TheoryData<string> ValueFiles()
    {
        var files = new TheoryData<string> { "values.yaml" };
        foreach (var example in Directory.EnumerateFiles(Path.Combine(Chart, "examples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(Chart, example));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(ValueFiles))]
    public void Values_validate_against_the_schema(string file)
    {
        var values = file == "values.yaml" ? Defaults : Yaml.Merge(Defaults, Yaml.Load(Path.Combine(Chart, file)));
        var errors = Errors(values);
        Assert.True(errors.Count == 0, file + ":" + Environment.NewLine + string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void There_are_examples()
    {
        Assert.True(ValueFiles().Count >= 3);
    }

    [Theory]
    [InlineData("redis: {mode: cluster}", "/redis/mode")]
    [InlineData("web: {replicas: two}", "/web/replicas")]
    [InlineData("redis: {mode: external, external: {address: ''}}", "/redis/external/address")]
    [InlineData("redis: {external: {address: 'redis only'}}", "/redis/external/address")]
    [InlineData("podSecurityContext: {runAsNonRoot: false}", "/podSecurityContext/runAsNonRoot")]
    [InlineData("image: {pullPolicy: Sometimes}", "/image/pullPolicy")]
    [InlineData("worker: {replicas: 3}", "/worker/replicas")]
    [InlineData("webb: {replicas: 3}", "/webb")]
    [InlineData("config: {Storage: {Provider: Sqlite}}", "/config/Storage")]
    [InlineData("config: {Hosting: {Role: all}}", "/config/Hosting/Role")]
    [InlineData("ingress: {enabled: true, hosts: [{host: 'Bad Host', paths: [{path: /}]}]}", "/ingress/hosts/0/host")]
    [InlineData("web: {clickJournal: {sizeLimit: lots}}", "/web/clickJournal/sizeLimit")]
    public void A_wrong_value_is_refused_with_its_location(string overlay, string location)
    {
        var errors = Errors(Yaml.Merge(Defaults, Yaml.Parse(overlay)));
        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.StartsWith(location + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_values_path_in_the_templates_exists_in_values_yaml_and_in_the_schema()
    {
        var defaults = Defaults;
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Chart, "values.schema.json")));
        var paths = Directory.EnumerateFiles(Path.Combine(Chart, "templates"))
            .SelectMany(f => ValuesPath().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Path: m.Groups[1].Value)))
            .Distinct()
            .ToList();
        Assert.True(paths.Count > 40, $"only {paths.Count} .Values paths found");
        var problems = new List<string>();
        foreach (var (file, path) in paths)
        {
            JsonNode? node = defaults;
            var schemaNode = schema.RootElement;
            foreach (var part in path.Split('.'))
            {
                if (node is not JsonObject map || !map.ContainsKey(part))
                {
                    problems.Add($"{file}: .Values.{path} is not in values.yaml");
                    break;
                }

                node = map[part];
                if (!schemaNode.TryGetProperty("properties", out var props) || !props.TryGetProperty(part, out schemaNode))
                {
                    problems.Add($"{file}: .Values.{path} is not in values.schema.json");
                    break;
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_worker_is_one_replica_with_the_recreate_strategy_and_pods_run_read_only_as_non_root()
    {
        var worker = File.ReadAllText(Path.Combine(Chart, "templates", "deployment-worker.yaml"));
        Assert.Contains("replicas: 1", worker, StringComparison.Ordinal);
        Assert.Contains("type: Recreate", worker, StringComparison.Ordinal);
        var defaults = Defaults!;
        Assert.True(defaults["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.True(defaults["podSecurityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        var helpers = File.ReadAllText(Path.Combine(Chart, "templates", "_helpers.tpl"));
        Assert.Contains("mountPath: /tmp", helpers, StringComparison.Ordinal);
        Assert.Contains("path: /health/ready", helpers, StringComparison.Ordinal);
        Assert.Contains("path: /health/live", helpers, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")]
    private static partial Regex ValuesPath();
}
