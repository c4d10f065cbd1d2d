using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>
/// A silo's replica of a job goes to the newest generation: a newer one replaces (and frees) the older's, and an older
/// one is refused as lost state (so its run restarts or stops) without touching the newer's replica.
/// </summary>
public sealed class JobReplicaRegistryTests
{
    private sealed class Silo : ILocalSiloDetails
    {
        public string Name => "test";
        public string ClusterId => "test";
        public string DnsHostName => "localhost";
        public SiloAddress SiloAddress { get; } = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
        public SiloAddress GatewayAddress => SiloAddress;
    }

    private static WorkerSetup Setup(int generation)
    {
        var config = new AutoencoderConfig { ItemCount = 20, HiddenDims = [6], LatentDim = 3 };
        using var network = new AutoencoderNetwork(config, 1);
        long total = network.ParameterCount;
        return new WorkerSetup("registry", generation, config.ToSettings(), 1, [0, total / 2, total], 1 << 20, false);
    }

    [Fact]
    public async Task OlderGeneration_RefusedAsLostState_NewerReplacesAndFreesTheOlder()
    {
        using var torch = new TorchRuntime(Options.Create(new TorchRuntimeOptions()));
        var registry = new JobReplicaRegistry(torch, new Silo());

        var five = await registry.GetOrCreateAsync(Setup(5));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => registry.GetOrCreateAsync(Setup(4)));
        Assert.True(GrainStateLost.Is(refused), refused.Message);
        Assert.Contains("newer generation 5", refused.Message);
        Assert.Same(five.Replica, (await registry.GetAsync("registry", 5))!.Replica);
        await torch.RunAsync(() => five.Replica.Own(0, new VaeCfCluster.Model.Training.AdamOptions(), 0));

        var six = await registry.GetOrCreateAsync(Setup(6));
        Assert.NotSame(five.Replica, six.Replica);
        Assert.Null(await registry.GetAsync("registry", 5));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => torch.RunAsync(() => five.Replica.Own(1, new VaeCfCluster.Model.Training.AdamOptions(), 0)));
        await registry.ReleaseAsync("registry", 6);
    }
}
