using VaeCfCluster.Cluster.Tests.Support;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>Where a job's grains run on the three-silo cluster: workers and shards spread one per silo.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PlacementTests(ThreeSiloCluster fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task Train_ThreeWorkersAndShards_EachOnItsOwnSilo()
    {
        var split = PlantedSplit.Create(120, 20, 40, 3, seed: 2);
        var config = new AutoencoderConfig { ItemCount = 40, HiddenDims = [16], LatentDim = 4 };
        var options = new TrainerOptions { Epochs = 1, BatchSize = 30, Seed = 1 };

        var status = await ClusterJobs.TrainAsync(fixture.Grains, "placement", split, config, options, new ClusterSettings());

        var silos = fixture.Cluster.GetActiveSilos().Select(s => s.SiloAddress.ToParsableString()).Order().ToArray();
        Assert.Equal(3, status.Workers);
        Assert.Equal(3, status.ParameterShards);
        Assert.Equal(silos, status.WorkerSilos.Order());
        Assert.Equal(silos, status.ShardSilos.Order());
        // Worker w and shard w share a silo, so each silo owns the shard its workers' replica updates in place.
        Assert.Equal(status.WorkerSilos, status.ShardSilos);
    }
}
