using TorchSharp;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Sharding;

/// <summary>
/// An item shard's checkpoint part brings back exactly the shard's parameters, Adam moments and step count; loading
/// only the parameters (the best weights) leaves the moments alone; a part of another range, shard count or epoch is
/// refused naming both; the starting weights drawn from the seed are the network's, with fresh Adam state.
/// </summary>
public sealed class ItemShardPartTests : IDisposable
{
    private static readonly AutoencoderConfig Config = new() { ItemCount = 10, HiddenDims = [6], LatentDim = 3 };
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-part-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ItemShard Filled(ItemRange range, int seed)
    {
        var shard = ItemShard.Zeros(range, Config, new AdamOptions(), MatmulPrecision.Fp32, CPU);
        var generator = new torch.Generator((ulong)seed);
        using var noGrad = torch.no_grad();
        foreach (var t in ItemShardVector.Of(shard, Model.Distributed.ShardVector.Parameters).Concat(shard.Optimizer.FirstMoments).Concat(shard.Optimizer.SecondMoments))
            t.copy_(torch.rand(t.shape, generator: generator));
        shard.Optimizer.SetStepCount(17);
        return shard;
    }

    private static float[] All(ItemShard shard, bool moments) =>
        ItemShardVector.Of(shard, Model.Distributed.ShardVector.Parameters).Concat(moments ? shard.Optimizer.FirstMoments.Concat(shard.Optimizer.SecondMoments) : [])
            .SelectMany(t => t.data<float>().ToArray()).ToArray();

    [Fact]
    public void SaveThenLoad_GivesBackParametersMomentsAndStepCount_OrOnlyTheParameters()
    {
        var range = new ItemRange(4, 3);
        using var saved = Filled(range, 1);
        string path = Path.Combine(_folder, ItemShardPart.Name(2, 1, 3));
        ItemShardPart.Save(path, saved, 3, 2);

        using var restored = Filled(range, 2);
        ItemShardPart.Load(path, restored, 3, 2, withMoments: true);
        Assert.Equal(All(saved, moments: true), All(restored, moments: true));
        Assert.Equal(17, restored.Optimizer.StepCount);

        using var bestOnly = Filled(range, 3);
        var momentsBefore = bestOnly.Optimizer.FirstMoments.Concat(bestOnly.Optimizer.SecondMoments).SelectMany(t => t.data<float>().ToArray()).ToArray();
        ItemShardPart.Load(path, bestOnly, 3, 2, withMoments: false);
        Assert.Equal(All(saved, moments: false), All(bestOnly, moments: false));
        Assert.Equal(momentsBefore, bestOnly.Optimizer.FirstMoments.Concat(bestOnly.Optimizer.SecondMoments).SelectMany(t => t.data<float>().ToArray()).ToArray());
    }

    /// <summary>Item <paramref name="item"/>'s values in a shard's rows, columns and bias (or their moments), read on the host.</summary>
    private static float[] ItemValues(IReadOnlyList<Tensor> parts, ItemRange range, int item)
    {
        int local = item - range.Start;
        return [.. parts[0][local].data<float>().ToArray(), .. parts[1].select(1, local).contiguous().data<float>().ToArray(), parts[2][local].item<float>()];
    }

    [Theory]
    [InlineData(2, 3)]   // 10 items: old ranges [0, 5) [5, 10); new [0, 4) [4, 7) [7, 10): the middle one reads both old parts
    [InlineData(3, 2)]
    [InlineData(4, 1)]
    public void LoadRecut_PartsOfAnotherShardCount_GiveEachNewShardItsItemsValuesMomentsAndStepCount(int oldShards, int newShards)
    {
        var oldRanges = ItemRange.Split(Config.ItemCount, oldShards);
        var saved = oldRanges.Select((r, s) => Filled(r, 10 + s)).ToArray();
        try
        {
            for (int s = 0; s < oldShards; s++) ItemShardPart.Save(Path.Combine(_folder, ItemShardPart.Name(3, s, oldShards)), saved[s], oldShards, 3);
            var read = new List<string>();
            foreach (var range in ItemRange.Split(Config.ItemCount, newShards))
            {
                using var shard = Filled(range, 99);
                read.Clear();
                ItemShardPart.LoadRecut(shard, Config.ItemCount, oldShards, 3, withMoments: true, (name, load) =>
                {
                    read.Add(name);
                    load(Path.Combine(_folder, name));
                });

                Assert.Equal(17, shard.Optimizer.StepCount);
                int overlapping = oldRanges.Count(o => o.Start < range.End && range.Start < o.End);
                Assert.Equal(overlapping, read.Count);   // only the parts that overlap are read
                for (int item = range.Start; item < range.End; item++)
                {
                    int s = Array.FindIndex(oldRanges, o => item >= o.Start && item < o.End);
                    foreach (var kind in new[] { Model.Distributed.ShardVector.Parameters, Model.Distributed.ShardVector.FirstMoment, Model.Distributed.ShardVector.SecondMoment })
                        Assert.Equal(ItemValues(ItemShardVector.Of(saved[s], kind), oldRanges[s], item), ItemValues(ItemShardVector.Of(shard, kind), range, item));
                }
            }
        }
        finally
        {
            foreach (var shard in saved) shard.Dispose();
        }
    }

    [Fact]
    public void LoadRecut_ParametersOnly_LeavesTheMomentsAlone_AndAMissingPartIsNamed()
    {
        var oldRanges = ItemRange.Split(Config.ItemCount, 2);
        for (int s = 0; s < 2; s++)
        {
            using var part = Filled(oldRanges[s], 20 + s);
            ItemShardPart.Save(Path.Combine(_folder, ItemShardPart.Name(1, s, 2)), part, 2, 1);
        }
        using var shard = Filled(new ItemRange(3, 4), 7);
        var moments = shard.Optimizer.FirstMoments.Concat(shard.Optimizer.SecondMoments).SelectMany(t => t.data<float>().ToArray()).ToArray();

        ItemShardPart.LoadRecut(shard, Config.ItemCount, 2, 1, withMoments: false, (name, load) => load(Path.Combine(_folder, name)));

        Assert.Equal(moments, shard.Optimizer.FirstMoments.Concat(shard.Optimizer.SecondMoments).SelectMany(t => t.data<float>().ToArray()).ToArray());
        File.Delete(Path.Combine(_folder, ItemShardPart.Name(1, 1, 2)));
        var missing = Assert.Throws<CheckpointFormatException>(() =>
            ItemShardPart.LoadRecut(shard, Config.ItemCount, 2, 1, withMoments: true, (name, load) => load(Path.Combine(_folder, name))));
        Assert.Contains(ItemShardPart.Name(1, 1, 2), missing.Message);
    }

    [Theory]
    [InlineData(5, 3, 3, 2, "holds items [4, 7) of 3 item shards, not items [5, 8) of 3")]
    [InlineData(4, 3, 2, 2, "holds items [4, 7) of 3 item shards, not items [4, 7) of 2")]
    [InlineData(4, 3, 3, 1, "is of epoch 2, not 1")]
    public void Load_OtherRangeShardCountOrEpoch_RefusedNamingBoth(int start, int count, int shards, int epoch, string problem)
    {
        using var saved = Filled(new ItemRange(4, 3), 1);
        string path = Path.Combine(_folder, "part.vaecf");
        ItemShardPart.Save(path, saved, 3, 2);
        using var other = Filled(new ItemRange(start, count), 2);

        var e = Assert.Throws<CheckpointFormatException>(() => ItemShardPart.Load(path, other, shards, epoch, withMoments: true));
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void LoadStart_ParametersAsTheNetworkDrawsThemAndFreshAdam_OrOnlyTheParameters()
    {
        using var network = new AutoencoderNetwork(Config, seed: 5);
        var whole = network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();
        var range = new ItemRange(7, 3);
        using var expected = torch.cat([whole[0].narrow(0, 7, 3).reshape(-1), whole[^2].narrow(1, 7, 3).contiguous().reshape(-1), whole[^1].narrow(0, 7, 3)]);

        using var shard = Filled(range, 4);
        ItemShardPart.LoadStart(shard, Config, seed: 5);
        Assert.Equal(expected.data<float>().ToArray(), All(shard, moments: false));
        Assert.All(shard.Optimizer.FirstMoments.Concat(shard.Optimizer.SecondMoments), m => Assert.Equal(0, m.abs().sum().item<float>()));
        Assert.Equal(0, shard.Optimizer.StepCount);

        using var keepsMoments = Filled(range, 4);
        var moments = keepsMoments.Optimizer.FirstMoments.Concat(keepsMoments.Optimizer.SecondMoments).SelectMany(m => m.data<float>().ToArray()).ToArray();
        ItemShardPart.LoadStart(keepsMoments, Config, seed: 5, withMoments: false);
        Assert.Equal(expected.data<float>().ToArray(), All(keepsMoments, moments: false));
        Assert.Equal(moments, keepsMoments.Optimizer.FirstMoments.Concat(keepsMoments.Optimizer.SecondMoments).SelectMany(m => m.data<float>().ToArray()).ToArray());
        Assert.Equal(17, keepsMoments.Optimizer.StepCount);
    }
}
