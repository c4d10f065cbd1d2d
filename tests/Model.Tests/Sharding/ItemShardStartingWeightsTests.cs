using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Sharding;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Sharding;

/// <summary>
/// An item range's starting weights and the middle's, drawn from the seed without the whole network, are exactly the
/// whole network's (bit for bit), whatever block size the item-sized layers are drawn in.
/// </summary>
public sealed class ItemShardStartingWeightsTests
{
    public static TheoryData<ModelKind, int[], long> Cases => new()
    {
        { ModelKind.Vae, [24], 50 },
        { ModelKind.Vae, [24], 1 },
        { ModelKind.Dae, [40, 24], 7_000 },
        { ModelKind.Vae, [40, 24], ItemShardStartingWeights.DefaultBlockElements },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RangesAndMiddle_EqualTheWholeNetworksDraws(ModelKind kind, int[] hidden, long blockElements)
    {
        var config = new AutoencoderConfig { ItemCount = 301, HiddenDims = hidden, LatentDim = 8, Kind = kind };
        const long seed = 12345;
        using var network = new AutoencoderNetwork(config, seed);
        var whole = network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();

        foreach (var range in ItemRange.Split(config.ItemCount, 3).Append(new ItemRange(0, config.ItemCount)).Append(new ItemRange(299, 2)))
        {
            var drawn = ItemShardStartingWeights.Range(config, seed, range, blockElements);
            try
            {
                var expected = ItemShardSlices.Of(whole, range);
                Assert.Equal(3, drawn.Length);
                for (int i = 0; i < 3; i++)
                {
                    Assert.Equal(expected[i].shape, drawn[i].shape);
                    Assert.Equal(expected[i].contiguous().data<float>().ToArray(), drawn[i].contiguous().data<float>().ToArray());
                }
            }
            finally
            {
                foreach (var t in drawn) t.Dispose();
            }
        }

        var middle = ItemShardStartingWeights.Middle(config, seed, blockElements);
        try
        {
            var expectedMiddle = whole[1..^2];
            Assert.Equal(expectedMiddle.Length, middle.Length);
            for (int i = 0; i < middle.Length; i++)
                Assert.Equal(expectedMiddle[i].data<float>().ToArray(), middle[i].data<float>().ToArray());
        }
        finally
        {
            foreach (var t in middle) t.Dispose();
        }
    }

    [Fact]
    public void Range_OutsideTheCatalog_IsRefused()
    {
        var config = new AutoencoderConfig { ItemCount = 10, HiddenDims = [6], LatentDim = 3 };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ItemShardStartingWeights.Range(config, 1, new ItemRange(8, 3)));
        Assert.Contains("[8, 11)", e.Message);
    }
}
