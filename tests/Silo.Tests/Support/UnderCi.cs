namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>Whether the tests run under CI (<c>CI=true</c>), where a missing prerequisite must fail rather than skip.</summary>
internal static class UnderCi
{
    public static bool IsSet => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
