using VaeCfCluster.Deployment.Tests.Support;

namespace VaeCfCluster.Deployment.Tests;

/// <summary>
/// The Node.js checks of scripts/k8s-validate: the repository's chart and manifests pass them, and each kind of
/// mistake they exist for (misspelt field, wrong type, k8s/ out of step with helm template) makes them fail.
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

    [RequiresHelmFact(withNode: true)]
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

    [RequiresHelmFact(withNode: true)]
    public void RenderChartCheck_RepositoryK8s_MatchesHelmTemplate()
    {
        var result = NodeTools.RunScript("render-chart.mjs", RepositoryFiles.PathOf("helm/vaecf"), "--check", RepositoryFiles.PathOf("k8s"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("matches the chart rendered with default values (11 files)", result.Output);
    }

    [RequiresHelmFact(withNode: true)]
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
}
