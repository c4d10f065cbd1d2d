using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Distributed;

public sealed class SiloReplicaTests
{
    private static readonly AutoencoderConfig Config = new() { ItemCount = 50, HiddenDims = [12], LatentDim = 4 };

    [Fact]
    public void GradientOf_TwoWorkersSlices_SumsToTheWholeBatchGradientAndTheirItems()
    {
        var split = PlantedSplit.Create(60, 5, Config.ItemCount, 3, seed: 8);
        int[] batch = [3, 8, 11, 14, 20, 27, 33, 40];
        using var reference = new AutoencoderNetwork(Config, seed: 0);
        GradientComputer.Accumulate(reference, split.Train, batch, 5, 2, 0.3, batch.Length);

        using var replica = new SiloReplica(Config, ParameterLayout.Of(reference).CutShards(2), CPU);
        var partitions = new[] { UserPartition.Of(split.Train, 0, 2), UserPartition.Of(split.Train, 1, 2) };
        // Worker 1 computes first: the sum is still taken in worker order.
        var loss1 = replica.Compute(1, partitions[1], batch.Where(u => u % 2 == 1).ToArray(), step: 7, seed: 5, epoch: 2, beta: 0.3, batch.Length);
        var loss0 = replica.Compute(0, partitions[0], batch.Where(u => u % 2 == 0).ToArray(), step: 7, seed: 5, epoch: 2, beta: 0.3, batch.Length);

        var sum = replica.GradientOf(7)!;
        Assert.Equal(batch.Length, loss0.UserCount + loss1.UserCount);
        for (int b = 0; b < sum.Gradients.Length; b++)
        {
            var expected = reference.OrderedParameters[b].Tensor.grad!.data<float>().ToArray();
            var actual = sum.Gradients[b].data<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6f);
        }
        Assert.Equal(batch.SelectMany(u => split.Train.Row(u).ToArray()).Distinct().Order(), sum.TouchedItems);
        Assert.Null(replica.GradientOf(8));
        // The network's own gradients were handed over, not left behind.
        Assert.All(replica.Network.OrderedParameters, p => Assert.Null(p.Tensor.grad));
    }

    [Fact]
    public void ApplyShard_Owned_UpdatesTheNetworkInPlaceAndMarksItCurrent()
    {
        var split = PlantedSplit.Create(30, 5, Config.ItemCount, 3, seed: 8);
        using var probe = new AutoencoderNetwork(Config, seed: 0);
        using var replica = new SiloReplica(Config, ParameterLayout.Of(probe).CutShards(2), CPU);
        replica.Own(0, new AdamOptions(), 0);
        var before = replica.Network.OrderedParameters[0].Tensor.data<float>().ToArray();
        replica.Compute(0, UserPartition.Of(split.Train, 0, 1), [0, 1, 2], step: 0, seed: 1, epoch: 1, beta: 0, globalBatchUsers: 3);

        long version = replica.ApplyShard(0, 0, []);

        Assert.Equal(1, version);
        Assert.NotEqual(before, replica.Network.OrderedParameters[0].Tensor.data<float>().ToArray());
        // Shard 0 is current at version 1 here; shard 1 was never loaded.
        Assert.Empty(replica.StaleShards([1, -1]));
        Assert.Equal([1], replica.StaleShards([1, 5]));
        Assert.Throws<InvalidOperationException>(() => replica.ApplyShard(1, 0, []));
    }
}
