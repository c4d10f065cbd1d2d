using Docker.DotNet;
using DotNet.Testcontainers.Containers;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// Starts a container, once more when podman 4.3's Docker API fails the start with "write child: broken pipe" (its OCI
/// runtime's sync pipe closed early, a transient fault others see too; a second start of the same container works).
/// Any other failure is the test's.
/// </summary>
internal static class ContainerStart
{
    private const int Attempts = 3;

    public static async Task StartAsync(IContainer container, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await container.StartAsync(ct);
                return;
            }
            catch (DockerApiException e) when (attempt < Attempts && e.Message.Contains("broken pipe", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
            }
        }
    }
}
