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
            var actual = sum.Gradients[b]!.data<float>().ToArray();
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

    [Fact]
    public void Compute_WithPush_SendsTheOutputLayerBeforeTheFirstLayerExistsAndEveryRemotePart()
    {
        var split = PlantedSplit.Create(60, 5, Config.ItemCount, 3, seed: 8);
        int[] batch = [3, 8, 11, 14, 20];
        using var probe = new AutoencoderNetwork(Config, seed: 0);
        var layout = ParameterLayout.Of(probe);
        var starts = layout.CutShards(3);
        using var replica = new SiloReplica(Config, starts, CPU);
        // "During the backward pass": the output layer has its gradient and the first layer not yet.
        var sent = new List<(GradientPart Part, bool DuringBackward)>();
        var push = new GradientPush([1, 2], 1 << 20, false, part => sent.Add((part,
            replica.Network.OrderedParameters[^1].Tensor.grad is not null && replica.Network.OrderedParameters[0].Tensor.grad is null)));

        replica.Compute(0, UserPartition.Of(split.Train, 0, 1), batch, step: 0, seed: 5, epoch: 1, beta: 0.2, batch.Length, push);

        // The output layer (the last two blocks) went out while the backward pass had not reached the first layer.
        int outputLayer = layout.Blocks.Count - 2;
        var early = sent.TakeWhile(s => s.DuringBackward).Select(s => s.Part).ToArray();
        Assert.All(sent.Skip(early.Length), s => Assert.False(s.DuringBackward));
        Assert.NotEmpty(early);
        Assert.All(early, p => Assert.All(p.SegmentStarts, start => Assert.True(starts[p.Shard] + start >= layout.Blocks[outputLayer].Offset)));
        // Every part is for a remote shard, and together they are the slice's gradient on those shards' ranges.
        var gradient = replica.GradientOf(0)!;
        var flat = gradient.Gradients.SelectMany(g => g!.data<float>().ToArray()).ToArray();
        var rebuilt = new float[layout.TotalLength];
        foreach (var (part, _) in sent)
        {
            Assert.Contains(part.Shard, new[] { 1, 2 });
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(part.Values);
            int at = 0;
            for (int k = 0; k < part.SegmentStarts.Length; k++)
            {
                values.Slice(at, part.SegmentLengths[k]).CopyTo(rebuilt.AsSpan((int)(starts[part.Shard] + part.SegmentStarts[k]), part.SegmentLengths[k]));
                at += part.SegmentLengths[k];
            }
        }
        Assert.Equal(flat.AsSpan((int)starts[1]).ToArray(), rebuilt.AsSpan((int)starts[1]).ToArray());
        Assert.All(rebuilt.AsSpan(0, (int)starts[1]).ToArray(), v => Assert.Equal(0f, v));
    }

    /// <summary>
    /// A worker's step and its shard's update, as the grains call them on their silo's compute thread, leave no tensor
    /// handle for the garbage collector: the number of live tensors is the same after every step (a handle left to a
    /// finalizer keeps its gradient's memory until a collection).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ComputeAndApply_EveryStep_LeaveTheSameNumberOfLiveTensors(bool push)
    {
        var split = PlantedSplit.Create(60, 5, Config.ItemCount, 3, seed: 8);
        int[] batch = [3, 8, 11, 14, 20];
        using var probe = new AutoencoderNetwork(Config, seed: 0);
        using var replica = new SiloReplica(Config, ParameterLayout.Of(probe).CutShards(2), CPU);
        replica.Own(0, new AdamOptions(), 0.01);
        var partitions = new[] { UserPartition.Of(split.Train, 0, 2), UserPartition.Of(split.Train, 1, 2) };
        var sent = new List<GradientPart>();
        var gradientPush = push ? new GradientPush([1], 1 << 10, false, sent.Add) : null;
        var live = new List<long>();
        for (int step = 0; step < 4; step++)
        {
            // Two workers on this silo, as with two worker grains: their slices are summed by reference.
            for (int worker = 0; worker < 2; worker++)
                replica.Compute(worker, partitions[worker], batch.Where(u => u % 2 == worker).ToArray(), step, seed: 5, epoch: 1, beta: 0.2,
                    batch.Length, gradientPush);
            replica.ApplyShard(0, step, []);
            live.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }

        Assert.Equal(push, sent.Count > 0);
        Assert.All(live.Skip(1), count => Assert.Equal(live[1], count));
    }
}
