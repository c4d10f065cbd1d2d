using System.Runtime.InteropServices;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// Turns a worker's gradients (after its backward pass) into parts for the parameter shards, each at most
/// <c>maxChunkBytes</c> of values. The first layer's gradient is row-sparse: only the rows of items the worker's
/// users clicked can be non-zero, so only those rows are sent (runs of adjacent rows as one segment); every other
/// parameter is sent whole.
/// </summary>
public static class GradientExporter
{
    /// <summary>Splits the gradients of <paramref name="network"/> by shard and chunk.</summary>
    /// <param name="network">The network holding gradients.</param>
    /// <param name="layout">Its flat layout.</param>
    /// <param name="shardStarts">Shard boundaries (<see cref="ParameterLayout.CutShards(int)"/>).</param>
    /// <param name="touchedItems">Sorted distinct items in the worker's batch slice (rows of the first layer to send).</param>
    /// <param name="maxChunkBytes">Largest payload of one part.</param>
    /// <param name="bf16">Encode values as bfloat16 (round to nearest even).</param>
    public static IReadOnlyList<GradientPart> Export(AutoencoderNetwork network, ParameterLayout layout, long[] shardStarts,
        ReadOnlySpan<int> touchedItems, int maxChunkBytes, bool bf16) =>
        Export(Enumerable.Range(0, layout.Blocks.Count).Select(b => FlatParameters.BlockTensor(network, layout, b, gradient: true)).ToArray(),
            layout, shardStarts, touchedItems, maxChunkBytes, bf16, onlyShard: -1);

    /// <summary>
    /// Splits <paramref name="gradients"/> (one tensor per block; null for blocks not exported) by shard and chunk,
    /// keeping only shard <paramref name="onlyShard"/>'s parts unless it is -1, and only blocks
    /// [<paramref name="fromBlock"/>, <paramref name="toBlock"/>).
    /// </summary>
    public static IReadOnlyList<GradientPart> Export(IReadOnlyList<TorchSharp.torch.Tensor?> gradients, ParameterLayout layout, long[] shardStarts,
        ReadOnlySpan<int> touchedItems, int maxChunkBytes, bool bf16, int onlyShard, int fromBlock, int toBlock) =>
        ExportBlocks(gradients, layout, shardStarts, touchedItems, maxChunkBytes, bf16, onlyShard, fromBlock, toBlock);

    /// <summary>Splits <paramref name="gradients"/> (one tensor per block) by shard and chunk; only shard <paramref name="onlyShard"/>'s parts unless it is -1.</summary>
    public static IReadOnlyList<GradientPart> Export(IReadOnlyList<TorchSharp.torch.Tensor> gradients, ParameterLayout layout, long[] shardStarts,
        ReadOnlySpan<int> touchedItems, int maxChunkBytes, bool bf16, int onlyShard) =>
        ExportBlocks(gradients, layout, shardStarts, touchedItems, maxChunkBytes, bf16, onlyShard, 0, layout.Blocks.Count);

    private static IReadOnlyList<GradientPart> ExportBlocks(IReadOnlyList<TorchSharp.torch.Tensor?> gradients, ParameterLayout layout, long[] shardStarts,
        ReadOnlySpan<int> touchedItems, int maxChunkBytes, bool bf16, int onlyShard, int fromBlock, int toBlock)
    {
        int valueBytes = bf16 ? 2 : 4;
        int maxValues = Math.Max(1, maxChunkBytes / valueBytes);
        var pieces = new List<Piece>();
        long low = onlyShard < 0 ? 0 : shardStarts[onlyShard], high = onlyShard < 0 ? layout.TotalLength : shardStarts[onlyShard + 1];
        for (int b = Math.Max(0, fromBlock); b < Math.Min(toBlock, layout.Blocks.Count); b++)
        {
            var block = layout.Blocks[b];
            if (block.End <= low || block.Offset >= high) continue;
            if (!block.IsRowSparse)
            {
                AddPieces(pieces, b, Math.Max(low, block.Offset), Math.Min(high, block.End) - Math.Max(low, block.Offset), shardStarts, maxValues);
                continue;
            }
            for (int i = 0; i < touchedItems.Length;)
            {
                int first = touchedItems[i], last = first;
                while (++i < touchedItems.Length && touchedItems[i] == last + 1) last++;
                long from = Math.Max(low, block.Offset + first * block.RowLength), to = Math.Min(high, block.Offset + (last + 1L) * block.RowLength);
                if (from < to) AddPieces(pieces, b, from, to - from, shardStarts, maxValues);
            }
        }

        // On a GPU the gradients come to the host once, whole, rather than once per segment.
        using var scope = TorchSharp.torch.NewDisposeScope();
        var host = new TorchSharp.torch.Tensor?[gradients.Count];
        foreach (var piece in pieces)
        {
            var gradient = gradients[piece.Block] ?? throw new ArgumentException($"Block {layout.Blocks[piece.Block].Name} has no gradient to export.");
            host[piece.Block] ??= gradient.device_type == TorchSharp.DeviceType.CPU ? gradient : gradient.cpu();
        }
        var parts = new List<GradientPart>();
        for (int start = 0; start < pieces.Count;)
        {
            int end = start, values = 0;
            while (end < pieces.Count && pieces[end].Shard == pieces[start].Shard && values + pieces[end].Length <= maxValues)
                values += pieces[end++].Length;
            parts.Add(Pack(host, layout, shardStarts, pieces.GetRange(start, end - start), values, bf16));
            start = end;
        }
        return parts;
    }

    private static void AddPieces(List<Piece> pieces, int block, long start, long length, long[] shardStarts, int maxValues)
    {
        long end = start + length;
        while (start < end)
        {
            int shard = ShardOf(shardStarts, start);
            long stop = Math.Min(end, Math.Min(shardStarts[shard + 1], start + maxValues));
            pieces.Add(new Piece(shard, block, start, (int)(stop - start)));
            start = stop;
        }
    }

    private static GradientPart Pack(TorchSharp.torch.Tensor?[] gradients, ParameterLayout layout, long[] shardStarts, List<Piece> pieces,
        int values, bool bf16)
    {
        // Every byte is written below, so the array need not be zeroed first.
        var bytes = GC.AllocateUninitializedArray<byte>(values * (bf16 ? 2 : 4));
        var starts = new long[pieces.Count];
        var lengths = new int[pieces.Count];
        int at = 0;
        for (int k = 0; k < pieces.Count; k++)
        {
            var p = pieces[k];
            var block = layout.Blocks[p.Block];
            starts[k] = p.Start - shardStarts[p.Shard];
            lengths[k] = p.Length;
            var source = FlatParameters.Floats(gradients[p.Block]!, p.Start - block.Offset, p.Length);
            if (bf16) BFloat16Codec.Encode(source, MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan(at * 2, p.Length * 2)));
            else source.CopyTo(MemoryMarshal.Cast<byte, float>(bytes.AsSpan(at * 4, p.Length * 4)));
            at += p.Length;
        }
        return new GradientPart(pieces[0].Shard, starts, lengths, bytes, bf16);
    }

    /// <summary>The shard whose range holds flat offset <paramref name="offset"/>.</summary>
    public static int ShardOf(long[] shardStarts, long offset)
    {
        int index = Array.BinarySearch(shardStarts, offset);
        return index >= 0 ? Math.Min(index, shardStarts.Length - 2) : ~index - 1;
    }

    private readonly record struct Piece(int Shard, int Block, long Start, int Length);
}
