using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Tests.Distributed;

public sealed class ParameterLayoutTests
{
    private static readonly AutoencoderConfig Config = new() { ItemCount = 50, HiddenDims = [12], LatentDim = 4 };

    [Fact]
    public void Of_Network_BlocksTileTheVectorInParameterOrder()
    {
        using var network = new AutoencoderNetwork(Config, seed: 1);
        var layout = ParameterLayout.Of(network);
        var parameters = network.OrderedParameters;
        Assert.Equal(parameters.Select(p => p.Name), layout.Blocks.Select(b => b.Name));
        long offset = 0;
        foreach (var (block, (_, tensor)) in layout.Blocks.Zip(parameters))
        {
            Assert.Equal(offset, block.Offset);
            Assert.Equal(tensor.numel(), block.Length);
            Assert.Equal(tensor.ndim == 2, block.IsWeight);
            Assert.Equal(tensor.ndim == 2 ? tensor.shape[1] : tensor.numel(), block.RowLength);
            offset += block.Length;
        }
        Assert.Equal(network.ParameterCount, layout.TotalLength);
        Assert.Equal(["encoder.0.weight"], layout.Blocks.Where(b => b.IsRowSparse).Select(b => b.Name));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void CutShards_AnyCount_IncreasingBoundariesOnRowBoundaries(int count)
    {
        using var network = new AutoencoderNetwork(Config, seed: 1);
        var layout = ParameterLayout.Of(network);
        var starts = layout.CutShards(count);
        Assert.Equal(count + 1, starts.Length);
        Assert.Equal(0, starts[0]);
        Assert.Equal(layout.TotalLength, starts[^1]);
        for (int s = 1; s < starts.Length; s++) Assert.True(starts[s] > starts[s - 1]);
        foreach (long cut in starts[1..^1])
        {
            var block = layout.Blocks.First(b => cut < b.End);
            Assert.Equal(0, (cut - block.Offset) % block.RowLength);
        }
    }

    [Fact]
    public void WeightRanges_ShardAcrossBlocks_CoversOnlyWeightsRelativeToShard()
    {
        using var network = new AutoencoderNetwork(Config, seed: 1);
        var layout = ParameterLayout.Of(network);
        // encoder.0.weight is [50, 12] = 600 values at 0, encoder.0.bias 12 at 600, encoder.1.weight [12, 8] at 612.
        var ranges = layout.WeightRanges(550, 700);
        Assert.Equal([0L, 50L, 62L, 88L], ranges);
    }

    [Fact]
    public void AutoShardCount_By16MParameters()
    {
        Assert.Equal(1, ParameterLayout.AutoShardCount(1000));
        Assert.Equal(1, ParameterLayout.AutoShardCount(16L << 20));
        Assert.Equal(2, ParameterLayout.AutoShardCount((16L << 20) + 1));
        Assert.Equal(2, ParameterLayout.AutoShardCount(24_500_000));
    }
}
