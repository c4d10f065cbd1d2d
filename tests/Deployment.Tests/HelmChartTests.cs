using System.Text.RegularExpressions;
using VaeCfCluster.Deployment.Tests.Support;

namespace VaeCfCluster.Deployment.Tests;

/// <summary>
/// The chart through the real Helm (and k8s/ through kubectl's kustomize): it lints and renders with every values file
/// of helm/vaecf/ci, and a broken template or an impossible setting fails with a message naming the cause.
/// </summary>
public sealed partial class HelmChartTests
{
    private const string Chart = "helm/vaecf";

    [RequiresHelmFact]
    public void HelmLint_RepositoryChart_PassesWithDefaultAndEveryCiValuesFile()
    {
        foreach (var valueArgs in ValueArgumentSets())
        {
            var result = HelmTools.Helm(["lint", "--strict", Chart, .. valueArgs]);

            Assert.True(result.ExitCode == 0, $"helm lint {string.Join(' ', valueArgs)}:\n{result.Output}");
            Assert.Contains("1 chart(s) linted, 0 chart(s) failed", result.Output);
        }
    }

    [RequiresHelmFact]
    public void HelmTemplate_RepositoryChart_RendersWithDefaultAndEveryCiValuesFile()
    {
        foreach (var valueArgs in ValueArgumentSets())
        {
            var result = HelmTools.Helm(["template", "vaecf", Chart, .. valueArgs]);

            Assert.True(result.ExitCode == 0, $"helm template {string.Join(' ', valueArgs)}:\n{result.Output}");
            Assert.Contains("# Source: vaecf/templates/silo-deployment.yaml", result.Output);
        }
    }

    [RequiresHelmFact]
    public void HelmLintAndTemplate_UnclosedIf_FailNamingTemplateAndLine()
    {
        using var chart = TemporaryChart.Copy();
        var pdb = Path.Combine(chart.Directory, "templates", "silo-pdb.yaml");
        File.WriteAllText(pdb, File.ReadAllText(pdb).Replace("{{- end }}", "", StringComparison.Ordinal));

        var lint = HelmTools.Helm("lint", chart.Directory);
        var template = HelmTools.Helm("template", "vaecf", chart.Directory);

        Assert.Equal(1, lint.ExitCode);
        Assert.Contains("[ERROR] templates/: parse error at (vaecf/templates/silo-pdb.yaml:16): unexpected EOF", lint.Output);
        Assert.Equal(1, template.ExitCode);
        Assert.Contains("Error: parse error at (vaecf/templates/silo-pdb.yaml:16): unexpected EOF", template.Output);
    }

    [RequiresHelmFact]
    public void HelmTemplate_ShutdownTimeoutBeyondGracePeriod_FailsNamingTheSettings()
    {
        // 50 s of shutdown cannot fit in 30 s of grace minus a 5 s preStop sleep: Kubernetes would kill the silo
        // before it has left the cluster. (helm lint only reports a template's fail as information; template fails.)
        var result = HelmTools.Helm("template", "vaecf", Chart, "--set", "silo.terminationGracePeriodSeconds=30");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("silo.shutdownTimeoutSeconds must be less than silo.terminationGracePeriodSeconds - silo.preStopSleepSeconds", result.Output);
    }

    [RequiresHelmFact]
    public void HelmTemplate_ValueOutsideSchema_FailsNamingTheValue()
    {
        var result = HelmTools.Helm("template", "vaecf", Chart, "--set", "silo.clustering=Localhost");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("values don't meet the specifications of the schema", result.Output);
        Assert.Contains("silo.clustering", result.Output);
    }

    [RequiresHelmFact]
    public void KubectlKustomize_K8s_BuildsTheObjectsOfEveryFile()
    {
        var files = Directory.GetFiles(RepositoryFiles.PathOf("k8s"), "*.yaml");
        var fileKinds = files.SelectMany(f => Kinds(File.ReadAllText(f))).Order(StringComparer.Ordinal).ToList();

        var result = HelmTools.Kubectl("kustomize", "k8s");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.All(files, f => Assert.NotEmpty(Kinds(File.ReadAllText(f))));
        Assert.Equal(fileKinds, Kinds(result.Output).Order(StringComparer.Ordinal));
        Assert.Contains("app.kubernetes.io/managed-by: kubectl", result.Output);
        Assert.DoesNotContain("managed-by: Helm", result.Output);
    }

    /// <summary>No values file (the defaults), then <c>-f</c> with each helm/vaecf/ci/*-values.yaml.</summary>
    private static IEnumerable<string[]> ValueArgumentSets() =>
        Directory.GetFiles(RepositoryFiles.PathOf($"{Chart}/ci"), "*-values.yaml").Order(StringComparer.Ordinal)
            .Select(f => new[] { "-f", Path.GetRelativePath(RepositoryFiles.Root, f) })
            .Prepend([]);

    /// <summary>The kind of every object of a multi-document manifest text.</summary>
    private static IEnumerable<string> Kinds(string manifests) => KindLine().Matches(manifests).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"(?m)^kind: (\w+)$")]
    private static partial Regex KindLine();
}
