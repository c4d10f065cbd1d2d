using System.Runtime.InteropServices;
using TorchSharp;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Distributed;

public sealed class GradientExporterTests
{
    private static readonly AutoencoderConfig Config = new() { ItemCount = 60, HiddenDims = [10], LatentDim = 4 };

    [Theory]
    [InlineData(1, 1 << 20, 0)]
    [InlineData(3, 256, 0)]
    [InlineData(4, 4096, 0)]
    [InlineData(3, 256, 7)]
    [InlineData(5, 4096, 7)]
    public void Export_SumOfPartsIntoShards_EqualsTheDenseGradient(int shards, int maxChunkBytes, int neighbours)
    {
        var split = PlantedSplit.Create(40, 5, Config.ItemCount, 3, seed: 2);
        var config = Config with { ItemNeighbours = neighbours };
        using var network = new AutoencoderNetwork(config, seed: 3);
        if (neighbours > 0)
        {
            network.SetNeighbourTargets(ItemNeighbourhood.Build(split.Train, neighbours));
            Support.NeighbourWeights.FillRandom(network, seed: 4);
        }
        int[] rows = [0, 3, 5, 8, 13, 21];
        GradientComputer.Accumulate(network, split.Train, rows, 7, 1, 0.2, 10);
        var layout = ParameterLayout.Of(network);
        var starts = layout.CutShards(shards);
        var touched = rows.SelectMany(r => split.Train.Row(r).ToArray()).Distinct().Order().ToArray();

        var parts = GradientExporter.Export(network, layout, starts, touched, maxChunkBytes, bf16: false);

        var rebuilt = new float[layout.TotalLength];
        foreach (var part in parts)
        {
            Assert.True(part.Values.Length <= maxChunkBytes, $"part of {part.Values.Length} bytes exceeds {maxChunkBytes}");
            var values = MemoryMarshal.Cast<byte, float>(part.Values);
            int at = 0;
            for (int k = 0; k < part.SegmentStarts.Length; k++)
            {
                long start = starts[part.Shard] + part.SegmentStarts[k];
                Assert.True(start + part.SegmentLengths[k] <= starts[part.Shard + 1], "segment crosses its shard's end");
                values.Slice(at, part.SegmentLengths[k]).CopyTo(rebuilt.AsSpan((int)start, part.SegmentLengths[k]));
                at += part.SegmentLengths[k];
            }
        }
        var expected = network.OrderedParameters.SelectMany(p => p.Tensor.grad!.data<float>().ToArray()).ToArray();
        Assert.Equal(expected, rebuilt);
        // Untouched rows of the first layer and of the item-item term are not sent at all.
        foreach (var block in layout.Blocks.Where(b => b.IsRowSparse))
        {
            long sent = parts.Sum(p => p.SegmentStarts.Zip(p.SegmentLengths)
                .Sum(s => Math.Max(0, Math.Min(starts[p.Shard] + s.First + s.Second, block.End) - Math.Max(starts[p.Shard] + s.First, block.Offset))));
            Assert.Equal(touched.Length * block.RowLength, sent);
        }
        Assert.Equal(neighbours > 0 ? 2 : 1, layout.Blocks.Count(b => b.IsRowSparse));
        if (neighbours > 0) Assert.True(layout.Blocks[^1].IsItemNeighbours);
    }

    [Fact]
    public void Export_Bf16_HalfTheBytesAndWithinBf16Rounding()
    {
        var split = PlantedSplit.Create(40, 5, Config.ItemCount, 3, seed: 2);
        using var network = new AutoencoderNetwork(Config, seed: 3);
        int[] rows = [1, 2, 4];
        GradientComputer.Accumulate(network, split.Train, rows, 7, 1, 0.2, 3);
        var layout = ParameterLayout.Of(network);
        var starts = layout.CutShards(1);
        var touched = Enumerable.Range(0, Config.ItemCount).ToArray();
        var full = GradientExporter.Export(network, layout, starts, touched, 1 << 20, bf16: false).Single();
        var half = GradientExporter.Export(network, layout, starts, touched, 1 << 20, bf16: true).Single();
        Assert.Equal(full.Values.Length / 2, half.Values.Length);
        var exact = MemoryMarshal.Cast<byte, float>(full.Values);
        var rounded = MemoryMarshal.Cast<byte, ushort>(half.Values);
        for (int i = 0; i < exact.Length; i++)
            Assert.True(Math.Abs(BFloat16Codec.Decode(rounded[i]) - exact[i]) <= Math.Abs(exact[i]) / 256, $"value {i}: {exact[i]} -> {BFloat16Codec.Decode(rounded[i])}");
    }

    [Theory]
    [InlineData(1.0f, 0x3F80)]
    [InlineData(-2.5f, 0xC020)]
    [InlineData(1.00390625f, 0x3F80)] // halfway between 0x3F80 and 0x3F81: ties to even
    [InlineData(1.01171875f, 0x3F82)] // halfway between 0x3F81 and 0x3F82: ties to even
    public void BFloat16Codec_Encode_RoundsToNearestEven(float value, int expected)
    {
        Span<ushort> encoded = stackalloc ushort[1];
        BFloat16Codec.Encode([value], encoded);
        Assert.Equal((ushort)expected, encoded[0]);
    }

    [Fact]
    public void BFloat16Codec_VectorPath_EqualsOneValueAtATimeAndAddsExactly()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 1001).Select(i => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 8)))).ToArray();
        values[5] = float.NaN;
        values[17] = float.PositiveInfinity;
        values[40] = 1.00390625f;
        var encoded = new ushort[values.Length];
        BFloat16Codec.Encode(values, encoded);
        for (int i = 0; i < values.Length; i++) Assert.Equal(BFloat16Codec.Encode(values[i]), encoded[i]);
        Assert.True(float.IsNaN(BFloat16Codec.Decode(encoded[5])));

        var sums = Enumerable.Range(0, values.Length).Select(i => (float)i).ToArray();
        BFloat16Codec.AddDecoded(sums, encoded);
        for (int i = 0; i < values.Length; i++)
            if (i != 5) Assert.Equal(i + BFloat16Codec.Decode(encoded[i]), sums[i]);
    }
}
