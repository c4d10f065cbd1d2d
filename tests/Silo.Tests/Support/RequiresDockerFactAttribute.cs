using DotNet.Testcontainers.Configurations;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// A fact that runs the locally built images (<see cref="ContainerImages"/>) through Testcontainers. Skipped when no
/// Docker engine is configured (<c>TestcontainersSettings.OS.DockerEndpointAuthConfig</c> is null, a check that
/// contacts nothing) or the engine lacks the images, naming the test that covers the same scenario with processes;
/// except under CI (<c>CI=true</c>, where <c>.ci/run</c> starts podman's Docker API and builds the images), where the
/// test runs and fails so that a missing engine or image cannot hide it.
/// </summary>
public sealed class RequiresDockerFactAttribute : FactAttribute
{
    public RequiresDockerFactAttribute(string processTestName)
    {
        if (UnderCi.IsSet) return;
        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is null)
            Skip = $"no Docker engine (podman's: eval \"$(docker/podman/service.sh)\"): the same scenario runs as processes in {processTestName}";
        else if (ContainerImages.Missing() is { Count: > 0 } missing)
            Skip = $"image(s) {string.Join(", ", missing)} not built (docker/build-offline.sh): the same scenario runs as processes in {processTestName}";
    }
}
