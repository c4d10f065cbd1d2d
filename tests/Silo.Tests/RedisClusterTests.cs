using Orleans;
using Orleans.Runtime;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>Two <c>vaecf-silo</c> processes with Redis membership on loopback, each on its own free ports and Redis.</summary>
public sealed class RedisClusterTests
{
    private const string ClusterId = "redis-cluster-test";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(45);

    [RequiresRedisServerFact(Timeout = 90_000)]
    public async Task TwoSiloProcesses_RedisClusteringOnLoopback_ClientsByRedisAndByGatewayListSeeTwoActiveSilos()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(85));
        var ct = cts.Token;
        await using var redis = await RedisServer.StartAsync(ct);
        var settings = new Dictionary<string, string?>
        {
            ["Silo__Clustering"] = "Redis",
            ["Silo__RedisConnectionString"] = redis.ConnectionString,
            ["Silo__ClusterId"] = ClusterId,
        };
        var (first, second) = await StartBothAsync(settings, ct);
        await using (first)
        await using (second)
        {
            string outputs = $"first silo:\n{first.Output}\nsecond silo:\n{second.Output}";
            int[] expectedPorts = [.. new[] { first.SiloPort, second.SiloPort }.Order()];

            await using (var byRedis = await ClusterConnection.ConnectAsync(
                ClusterAddress.Parse($"redis://{redis.ConnectionString}"), ClusterId, "vaecf", ct))
            {
                var hosts = await ActiveHostsAsync(byRedis.Client, expected: 2, ct);
                Assert.True(expectedPorts.SequenceEqual(hosts.Keys.Select(a => a.Endpoint.Port).Order()),
                    $"active silos {string.Join(", ", hosts.Keys)}; expected silo ports {string.Join(", ", expectedPorts)}\n{outputs}");
                Assert.All(hosts.Values, status => Assert.Equal(SiloStatus.Active, status));
            }

            await using var byGateways = await ClusterConnection.ConnectAsync(
                ClusterAddress.Parse($"127.0.0.1:{first.GatewayPort},127.0.0.1:{second.GatewayPort}"), ClusterId, "vaecf", ct);
            var seen = await ActiveHostsAsync(byGateways.Client, expected: 2, ct);
            Assert.True(expectedPorts.SequenceEqual(seen.Keys.Select(a => a.Endpoint.Port).Order()), outputs);
        }
    }

    /// <summary>Starts two silos at once; when one fails, the other is stopped before the failure is rethrown.</summary>
    internal static async Task<(SiloProcess First, SiloProcess Second)> StartBothAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken ct)
    {
        var started = await SiloProcess.StartAllReadyAsync(settings, 2, ReadyTimeout, ct);
        return (started[0], started[1]);
    }

    /// <summary>Active silos as the management grain reports them, polled briefly while membership gossip settles.</summary>
    internal static async Task<Dictionary<SiloAddress, SiloStatus>> ActiveHostsAsync(IClusterClient client, int expected, CancellationToken ct)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var hosts = await management.GetHosts(onlyActive: true);
            if (hosts.Count == expected || DateTime.UtcNow > deadline) return hosts;
            await Task.Delay(250, ct);
        }
    }
}
