using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// The network's parameters laid end to end in their fixed order (<see cref="AutoencoderNetwork.OrderedParameters"/>)
/// as one flat float32 vector. The parameter server is sharded into contiguous ranges of this vector cut at row
/// boundaries, so every shard holds whole rows and Adam, being element-wise, runs on each shard independently.
/// </summary>
public sealed class ParameterLayout
{
    /// <summary>Parameters per shard above which <see cref="AutoShardCount"/> adds a shard: 16M (64 MiB of float32).</summary>
    public const long AutoShardParameters = 16L << 20;

    private ParameterLayout(IReadOnlyList<ParameterBlock> blocks)
    {
        Blocks = blocks;
        TotalLength = blocks.Count == 0 ? 0 : blocks[^1].End;
    }

    /// <summary>The blocks in flat order.</summary>
    public IReadOnlyList<ParameterBlock> Blocks { get; }

    /// <summary>Total number of parameters.</summary>
    public long TotalLength { get; }

    /// <summary>The layout of <paramref name="network"/>'s parameters.</summary>
    public static ParameterLayout Of(AutoencoderNetwork network)
    {
        var blocks = new List<ParameterBlock>();
        long offset = 0;
        var parameters = network.OrderedParameters;
        for (int i = 0; i < parameters.Count; i++)
        {
            var (name, tensor) = parameters[i];
            long length = tensor.numel();
            bool weight = tensor.ndim == 2;
            blocks.Add(new ParameterBlock(name, offset, length, weight ? tensor.shape[1] : length, weight,
                IsRowSparse: i == 0 || name == AutoencoderNetwork.NeighbourWeightName));
            offset += length;
        }
        return new ParameterLayout(blocks);
    }

    /// <summary>Shards for a model of <paramref name="totalLength"/> parameters: one per 16M, at least one.</summary>
    public static int AutoShardCount(long totalLength) => (int)Math.Max(1, (totalLength + AutoShardParameters - 1) / AutoShardParameters);

    /// <summary>
    /// Cuts the vector into <paramref name="count"/> ranges of about equal size, each boundary moved to the nearest row
    /// boundary. Returns count + 1 offsets: shard s is [starts[s], starts[s + 1]).
    /// </summary>
    public long[] CutShards(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var starts = new long[count + 1];
        starts[count] = TotalLength;
        for (int s = 1; s < count; s++)
        {
            long ideal = TotalLength * s / count;
            var block = Blocks.First(b => ideal < b.End);
            long row = (long)Math.Round((double)(ideal - block.Offset) / block.RowLength);
            long cut = Math.Min(block.End, block.Offset + row * block.RowLength);
            if (cut <= starts[s - 1]) cut = Math.Min(block.End, starts[s - 1] + block.RowLength);
            if (cut <= starts[s - 1] || cut >= TotalLength)
                throw new ArgumentException($"{count} shards are too many for {TotalLength} parameters.", nameof(count));
            starts[s] = cut;
        }
        return starts;
    }

    /// <summary>Weight-matrix ranges inside [start, end), as (start, length) pairs relative to <paramref name="start"/>.</summary>
    public long[] WeightRanges(long start, long end)
    {
        var pairs = new List<long>();
        foreach (var b in Blocks.Where(b => b.IsWeight))
        {
            long from = Math.Max(start, b.Offset), to = Math.Min(end, b.End);
            if (from < to) pairs.AddRange([from - start, to - from]);
        }
        return [.. pairs];
    }
}
