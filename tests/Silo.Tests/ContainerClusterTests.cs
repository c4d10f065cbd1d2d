using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Silo.Health;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// The two-silo Redis scenario of <see cref="RedisClusterTests"/> with every piece in a container: Redis, and two
/// silos running the built <c>vaecf-silo.dll</c> on the .NET runtime image. Needs a Docker engine.
/// </summary>
public sealed class ContainerClusterTests
{
    private const string ClusterId = "container-cluster-test";
    private const string RuntimeImage = "mcr.microsoft.com/dotnet/aspnet:10.0";
    private const int HttpPort = 8080;

    [RequiresDockerFact(nameof(RedisClusterTests) + "." + nameof(RedisClusterTests.TwoSiloProcesses_RedisClusteringOnLoopback_ClientsByRedisAndByGatewayListSeeTwoActiveSilos),
        Timeout = 300_000)]
    public async Task TwoSiloContainers_RedisClustering_ClientSeesTwoActiveSilos()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4.5));
        var ct = cts.Token;
        await using INetwork network = new NetworkBuilder().Build();
        await network.CreateAsync(ct);

        await using IContainer redis = new ContainerBuilder("redis:7")
            .WithNetwork(network)
            .WithNetworkAliases("redis")
            .WithCommand("redis-server", "--save", "", "--appendonly", "no")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("Ready to accept connections"))
            .Build();
        await redis.StartAsync(ct);

        // Gateway ports are published on the same host port, so the port each silo advertises is the one the client dials.
        var gatewayPorts = FreePorts.Take(2);
        await using IContainer first = Silo(network, gatewayPorts[0]);
        await using IContainer second = Silo(network, gatewayPorts[1]);
        await Task.WhenAll(first.StartAsync(ct), second.StartAsync(ct));

        await using var connection = await ClusterConnection.ConnectAsync(
            ClusterAddress.Parse($"127.0.0.1:{gatewayPorts[0]},127.0.0.1:{gatewayPorts[1]}"), ClusterId, "vaecf", ct);
        var hosts = await RedisClusterTests.ActiveHostsAsync(connection.Client, expected: 2, ct);
        Assert.Equal(2, hosts.Count);
    }

    private static IContainer Silo(INetwork network, int gatewayPort) =>
        new ContainerBuilder(RuntimeImage)
            .WithNetwork(network)
            .WithBindMount(AppContext.BaseDirectory, "/app", DotNet.Testcontainers.Configurations.AccessMode.ReadOnly)
            .WithWorkingDirectory("/tmp")
            .WithCommand("dotnet", "/app/vaecf-silo.dll")
            .WithEnvironment("Silo__Clustering", "Redis")
            .WithEnvironment("Silo__RedisConnectionString", "redis:6379")
            .WithEnvironment("Silo__ClusterId", ClusterId)
            .WithEnvironment("Silo__GatewayPort", gatewayPort.ToString())
            .WithEnvironment("Silo__HttpPort", HttpPort.ToString())
            .WithEnvironment("Storage__Directory", "/tmp/vaecf-jobs")
            .WithPortBinding(gatewayPort, gatewayPort)
            .WithPortBinding(HttpPort, assignRandomHostPort: true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request.ForPort(HttpPort).ForPath(HealthEndpointExtensions.ReadyPath)))
            .Build();
}
