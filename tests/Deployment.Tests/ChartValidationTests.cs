using System.Text.Json;
using VaeCfCluster.Deployment.Tests.Support;

namespace VaeCfCluster.Deployment.Tests;

/// <summary>
/// The Node.js checks of scripts/k8s-validate: the repository's chart and manifests pass them, and each kind of
/// mistake they exist for (misspelt field, wrong type, broken template, k8s/ out of step) makes them fail.
/// </summary>
public sealed class ChartValidationTests
{
    private const string MinimalDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: probe-test
        spec:
          selector:
            matchLabels: {app: probe-test}
          template:
            metadata:
              labels: {app: probe-test}
            spec:
              containers:
                - name: app
                  image: example/app:1
                  ports:
                    - name: http
                      containerPort: 8080
                  readinessProbe:
                    httpGet: {path: /health/ready, port: http}
        """;

    [RequiresNodeFact]
    public void Validate_RepositoryFiles_EveryCheckPasses()
    {
        var result = NodeTools.RunScript("validate.mjs");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("FAIL", result.Output);
        Assert.Matches(@"(?m)^[1-9]\d* passed, 0 failed$", result.Output);
    }

    [RequiresNodeFact]
    public void ValidateFiles_MinimalDeployment_Passes()
    {
        var result = ValidateManifest(MinimalDeployment);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("1 passed, 0 failed", result.Output);
    }

    [RequiresNodeFact]
    public void ValidateFiles_MisspeltProbeField_IsReportedWithItsPath()
    {
        var result = ValidateManifest(MinimalDeployment.Replace("readinessProbe:", "readinesProbe:", StringComparison.Ordinal));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(".spec.template.spec.containers[0].readinesProbe: unknown field", result.Output);
    }

    [RequiresNodeFact]
    public void ValidateFiles_StringContainerPort_IsRejectedBySchema()
    {
        var result = ValidateManifest(MinimalDeployment.Replace("containerPort: 8080", "containerPort: http", StringComparison.Ordinal));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("containerPort must be integer", result.Output);
    }

    [RequiresNodeFact]
    public void RenderChart_UnclosedIf_FailsNamingTemplateAndLine()
    {
        using var chart = TemporaryChart.Copy();
        var pdb = Path.Combine(chart.Directory, "templates", "silo-pdb.yaml");
        File.WriteAllText(pdb, File.ReadAllText(pdb).Replace("{{- end }}", "", StringComparison.Ordinal));

        var result = NodeTools.RunScript("render-chart.mjs", chart.Directory);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("vaecf/templates/silo-pdb.yaml:1: \"if\" has no {{ end }}", result.Output);
    }

    [RequiresNodeFact]
    public void RenderChart_ShutdownTimeoutBeyondGracePeriod_FailsNamingTheSettings()
    {
        // 50 s of shutdown cannot fit in 30 s of grace minus a 5 s preStop sleep: Kubernetes would kill the silo
        // before it has left the cluster.
        var values = Path.Combine(Path.GetTempPath(), $"vaecf-values-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(values, "silo:\n  terminationGracePeriodSeconds: 30\n");
        try
        {
            var result = NodeTools.RunScript("render-chart.mjs", RepositoryFiles.PathOf("helm/vaecf"), "-f", values);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("silo.shutdownTimeoutSeconds must be less than silo.terminationGracePeriodSeconds - silo.preStopSleepSeconds", result.Output);
        }
        finally
        {
            File.Delete(values);
        }
    }

    [RequiresNodeFact]
    public void RenderChartCheck_DefaultChangedInChart_ReportsThatK8sDrifted()
    {
        using var chart = TemporaryChart.Copy();
        var values = Path.Combine(chart.Directory, "values.yaml");
        File.WriteAllText(values, File.ReadAllText(values).Replace("  replicas: 2\n", "  replicas: 3\n", StringComparison.Ordinal));

        var result = NodeTools.RunScript("render-chart.mjs", chart.Directory, "--check", RepositoryFiles.PathOf("k8s"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("silo-deployment.yaml: differs from the rendered chart", result.Output);
        Assert.DoesNotContain("silo-service.yaml", result.Output);
    }

    [RequiresNodeFact]
    public void HelmLite_GoTemplateRules_RenderAsHelmDoes()
    {
        // Expected outputs follow Go's text/template and Helm: {{- -}} trims all adjacent whitespace; values from
        // YAML are float64 and print with %v (1e+06 from 1000000); int constants print in full; range over a map
        // visits keys in sorted order; comparing a float64 value with an int constant is an error.
        var cases = new Dictionary<string, (string Template, string Expected)>
        {
            ["trim"] = ("a  {{- \" b \" -}}\n  c", "a b c"),
            ["floats"] = ("{{ .small }} {{ .big }} {{ int .big }} {{ 1000000 }} {{ .half }}", "604800 1e+06 1000000 1000000 0.5"),
            ["range"] = ("{{ range $k, $v := .map }}{{ $k }}={{ $v }};{{ end }}", "a=2;b=1;"),
            ["else-if"] = ("{{ if .none }}x{{ else if .map }}y{{ else }}z{{ end }}", "y"),
            ["default"] = ("{{ .empty | default \"d\" | quote }}", "\"d\""),
            ["compare"] = ("{{ eq .small 1 }}", "ERROR incompatible types for comparison"),
        };
        var data = new { small = 604800, big = 1000000, half = 0.5, map = new { b = 1, a = 2 }, empty = "", none = (string?)null };

        var results = RenderWithHelmLite(cases.ToDictionary(c => c.Key, c => c.Value.Template), data);

        foreach (var (name, (_, expected)) in cases)
        {
            if (expected.StartsWith("ERROR ", StringComparison.Ordinal))
                Assert.Contains(expected["ERROR ".Length..], results[name]);
            else
                Assert.Equal(expected, results[name]);
        }
    }

    private static ProcessResult ValidateManifest(string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"vaecf-manifest-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        try
        {
            return NodeTools.RunScript("validate.mjs", "--files", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Dictionary<string, string> RenderWithHelmLite(Dictionary<string, string> templates, object data)
    {
        var helmLite = new Uri(Path.Combine(NodeTools.ToolsDirectory, "helm-lite.mjs")).AbsoluteUri;
        var script = Path.Combine(Path.GetTempPath(), $"vaecf-helm-lite-{Guid.NewGuid():N}.mjs");
        File.WriteAllText(script, $$"""
            import { TemplateSet } from "{{helmLite}}";
            const [templates, data] = [JSON.parse(process.argv[2]), JSON.parse(process.argv[3])];
            const out = {};
            for (const [name, src] of Object.entries(templates)) {
              try { const set = new TemplateSet(); set.add(name, src); out[name] = set.render(name, data); }
              catch (e) { out[name] = "ERROR " + e.message; }
            }
            console.log(JSON.stringify(out));
            """);
        try
        {
            var result = NodeTools.RunScript(script, JsonSerializer.Serialize(templates), JsonSerializer.Serialize(data));
            Assert.True(result.ExitCode == 0, result.Output);
            return JsonSerializer.Deserialize<Dictionary<string, string>>(result.Output.Trim())!;
        }
        finally
        {
            File.Delete(script);
        }
    }
}
