using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;

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
    public static ParameterLayout Of(AutoencoderNetwork network) =>
        Of(network.OrderedParameters.Select(p => (p.Name, (TorchSharp.torch.Tensor)p.Tensor)).ToArray(),
            (i, name) => i == 0 || name == AutoencoderNetwork.NeighbourWeightName);

    /// <summary>
    /// The layout of a RecVAE's parameters (<see cref="RecVaeNetwork.NamedParameters"/>): only the input layer's item rows are
    /// row-sparse.
    /// </summary>
    public static ParameterLayout Of(RecVaeNetwork network) => Of(network.NamedParameters, (i, _) => i == 0);

    /// <summary>The layout of named tensors in their order; <paramref name="isRowSparse"/> (index, name) marks the blocks whose gradient has only the rows of clicked items.</summary>
    public static ParameterLayout Of(IReadOnlyList<(string Name, TorchSharp.torch.Tensor Tensor)> parameters, Func<int, string, bool> isRowSparse)
    {
        var blocks = new List<ParameterBlock>();
        long offset = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var (name, tensor) = parameters[i];
            long length = tensor.numel();
            bool weight = tensor.ndim == 2;
            blocks.Add(new ParameterBlock(name, offset, length, weight ? tensor.shape[1] : length, weight, IsRowSparse: isRowSparse(i, name)));
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
    public long[] CutShards(int count) => CutRange(0, TotalLength, count);

    /// <summary>
    /// Like <see cref="CutShards(int)"/>, but no shard straddles block <paramref name="boundaryBlock"/>'s start: the
    /// blocks before it and the blocks from it are cut separately, into shards in proportion to their sizes (at least
    /// one each). RecVAE's encoder and decoder are trained by separate optimizers in separate passes, so each shard
    /// belongs to one of them.
    /// </summary>
    public long[] CutShards(int count, int boundaryBlock)
    {
        if (boundaryBlock <= 0 || boundaryBlock >= Blocks.Count)
            throw new ArgumentOutOfRangeException(nameof(boundaryBlock), $"Block {boundaryBlock} does not split the {Blocks.Count} blocks in two.");
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        long boundary = Blocks[boundaryBlock].Offset;
        int before = (int)Math.Clamp(Math.Round((double)count * boundary / TotalLength), 1, count - 1);
        return CutShards(before, count - before, boundaryBlock);
    }

    /// <summary>
    /// Cuts the blocks before block <paramref name="boundaryBlock"/> into <paramref name="before"/> shards and the rest
    /// into <paramref name="after"/> (see <see cref="CutShards(int, int)"/>).
    /// </summary>
    public long[] CutShards(int before, int after, int boundaryBlock)
    {
        if (boundaryBlock <= 0 || boundaryBlock >= Blocks.Count)
            throw new ArgumentOutOfRangeException(nameof(boundaryBlock), $"Block {boundaryBlock} does not split the {Blocks.Count} blocks in two.");
        long boundary = Blocks[boundaryBlock].Offset;
        var first = CutRange(0, boundary, before);
        var second = CutRange(boundary, TotalLength, after);
        return [.. first[..^1], .. second];
    }

    private long[] CutRange(long start, long end, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var starts = new long[count + 1];
        starts[0] = start;
        starts[count] = end;
        for (int s = 1; s < count; s++)
        {
            long ideal = start + (end - start) * s / count;
            var block = Blocks.First(b => ideal < b.End);
            long row = (long)Math.Round((double)(ideal - block.Offset) / block.RowLength);
            long cut = Math.Min(block.End, block.Offset + row * block.RowLength);
            if (cut <= starts[s - 1]) cut = Math.Min(block.End, starts[s - 1] + block.RowLength);
            if (cut <= starts[s - 1] || cut >= end)
                throw new ArgumentException($"{count} shards are too many for the {end - start} parameters of [{start}, {end}).", nameof(count));
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
