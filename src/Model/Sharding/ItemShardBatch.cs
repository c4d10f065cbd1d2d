using TorchSharp;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// The part of a <see cref="SparseBatch"/> that falls in one item range: the kept clicks as bags of local item
/// indices (item − range start) with their weights (the user's whole-catalog normalisation and dropout, unchanged),
/// and every click as a flat index into the shard's [B, range] logits. Each user's click count over the whole catalog
/// (the multinomial's n_u) comes with it, since the softmax spans all shards.
/// </summary>
public sealed class ItemShardBatch
{
    private ItemShardBatch(Tensor inputItems, Tensor inputOffsets, Tensor inputWeights, Tensor clickFlatIndices, Tensor clickCounts, int userCount, ItemRange range)
    {
        InputItems = inputItems;
        InputOffsets = inputOffsets;
        InputWeights = inputWeights;
        ClickFlatIndices = clickFlatIndices;
        ClickCounts = clickCounts;
        UserCount = userCount;
        Range = range;
    }

    /// <summary>int64 [kept in range]: local item indices of the kept clicks, user by user.</summary>
    public Tensor InputItems { get; }

    /// <summary>int64 [B]: where each user's bag starts in <see cref="InputItems"/>.</summary>
    public Tensor InputOffsets { get; }

    /// <summary>float32 [kept in range]: the input's values.</summary>
    public Tensor InputWeights { get; }

    /// <summary>int64 [clicks in range]: user·range + local item of every click in range (no dropout).</summary>
    public Tensor ClickFlatIndices { get; }

    /// <summary>float32 [B]: each user's clicks over the whole catalog.</summary>
    public Tensor ClickCounts { get; }

    /// <summary>Number of users B.</summary>
    public int UserCount { get; }

    /// <summary>The item range.</summary>
    public ItemRange Range { get; }

    /// <summary>
    /// Cuts <paramref name="batch"/> by <paramref name="ranges"/> (contiguous, in order, covering the batch's items) on
    /// the host; the parts are placed on <paramref name="device"/> and belong to the caller's dispose scope.
    /// </summary>
    public static ItemShardBatch[] Split(SparseBatch batch, IReadOnlyList<ItemRange> ranges, Device? device = null)
    {
        device ??= torch.CPU;
        int b = batch.UserCount, items = batch.ItemCount, shards = ranges.Count;
        if (ranges[^1].End != items) throw new ArgumentException($"The item ranges end at {ranges[^1].End}, the batch has {items} items.");
        var inputItems = batch.InputItems.cpu().data<long>().ToArray();
        var inputOffsets = batch.InputOffsets.cpu().data<long>().ToArray();
        var inputWeights = batch.InputWeights.cpu().data<float>().ToArray();
        var clicks = batch.ClickFlatIndices.cpu().data<long>().ToArray();
        var starts = ranges.Select(r => r.Start).ToArray();
        int ShardOf(long item)
        {
            int s = Array.BinarySearch(starts, (int)item);
            return s >= 0 ? s : ~s - 1;
        }
        var shardItems = Enumerable.Range(0, shards).Select(_ => new List<long>()).ToArray();
        var weights = Enumerable.Range(0, shards).Select(_ => new List<float>()).ToArray();
        var offsets = Enumerable.Range(0, shards).Select(_ => new long[b]).ToArray();
        var flat = Enumerable.Range(0, shards).Select(_ => new List<long>()).ToArray();
        for (int u = 0; u < b; u++)
        {
            for (int s = 0; s < shards; s++) offsets[s][u] = shardItems[s].Count;
            long end = u + 1 < b ? inputOffsets[u + 1] : inputItems.Length;
            for (long k = inputOffsets[u]; k < end; k++)
            {
                int s = ShardOf(inputItems[k]);
                shardItems[s].Add(inputItems[k] - starts[s]);
                weights[s].Add(inputWeights[k]);
            }
        }
        foreach (long c in clicks)
        {
            long user = c / items, item = c % items;
            int s = ShardOf(item);
            flat[s].Add(user * ranges[s].Count + item - starts[s]);
        }
        var counts = batch.ClickCounts.to(device);
        return Enumerable.Range(0, shards).Select(s => new ItemShardBatch(torch.tensor(shardItems[s].ToArray(), ScalarType.Int64).to(device),
            torch.tensor(offsets[s]).to(device), torch.tensor(weights[s].ToArray(), ScalarType.Float32).to(device),
            torch.tensor(flat[s].ToArray(), ScalarType.Int64).to(device), counts, b, ranges[s])).ToArray();
    }
}
