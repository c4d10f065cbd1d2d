using DotNet.Testcontainers.Configurations;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// A fact that runs containers through Testcontainers. Skipped when no Docker engine is configured
/// (<c>TestcontainersSettings.OS.DockerEndpointAuthConfig</c> is null, a check that contacts nothing), naming the
/// test that covers the same scenario with processes.
/// </summary>
public sealed class RequiresDockerFactAttribute : FactAttribute
{
    public RequiresDockerFactAttribute(string processTestName)
    {
        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is null)
            Skip = $"no Docker engine: the same scenario runs as processes in {processTestName}";
    }
}
