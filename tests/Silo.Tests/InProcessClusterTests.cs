using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Grains.Hosting;

namespace VaeCfCluster.Silo.Tests;

/// <summary>The client's in-process single-silo cluster.</summary>
public sealed class InProcessClusterTests
{
    [Fact(Timeout = 60_000)]
    public async Task StartAsync_OneSilo_ClientSeesOneActiveSiloWithTheGivenSettings()
    {
        var folder = Directory.CreateTempSubdirectory("vaecf-inproc-test-").FullName;
        try
        {
            var storage = Path.Combine(folder, "jobs");
            await using (var cluster = await InProcessCluster.StartAsync(storage, threads: 1, CancellationToken.None))
            {
                var hosts = await cluster.GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                var silo = Assert.Single(hosts);
                Assert.Equal(SiloStatus.Active, silo.Value);
                Assert.Equal(System.Net.IPAddress.Loopback, silo.Key.Endpoint.Address);
                Assert.Equal(storage, cluster.StorageDirectory);
                Assert.True(Directory.Exists(storage));
                Assert.Equal(storage, cluster.Services.GetRequiredService<IOptions<JobStorageOptions>>().Value.Directory);
                Assert.Equal(1, cluster.Services.GetRequiredService<IOptions<TorchRuntimeOptions>>().Value.Threads);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_NegativeThreads_ThrowsBeforeStarting() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => InProcessCluster.StartAsync("unused", threads: -1, CancellationToken.None));
}
