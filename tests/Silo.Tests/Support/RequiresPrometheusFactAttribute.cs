namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// A fact that starts its own Prometheus server. Skipped, with the reason, when <c>prometheus</c> is not on PATH,
/// except under CI (<c>CI=true</c>), where the test runs and fails so that a missing server cannot hide it.
/// </summary>
public sealed class RequiresPrometheusFactAttribute : FactAttribute
{
    public RequiresPrometheusFactAttribute()
    {
        if (PrometheusServer.FindExecutable() is null && !UnderCi.IsSet)
            Skip = $"{PrometheusServer.ExecutableName} not found on PATH (apt-get install prometheus).";
    }
}
