namespace VaeCfCluster.Deployment.Tests.Support;

/// <summary>
/// A fact that runs scripts/k8s-validate with Node.js. Skipped, with the reason, when node or npm is not on the PATH,
/// except under CI (<c>CI=true</c>), where a missing tool must fail the test rather than hide it.
/// </summary>
public sealed class RequiresNodeFactAttribute : FactAttribute
{
    public RequiresNodeFactAttribute()
    {
        bool underCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!underCi && NodeTools.MissingTool() is { } missing)
            Skip = $"{missing} not found on PATH: install Node.js >= 20 and npm to run the chart and manifest schema checks.";
    }
}
