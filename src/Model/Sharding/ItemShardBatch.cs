using TorchSharp;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// The part of a <see cref="SparseBatch"/> that falls in one item range: the kept clicks as bags of local item
/// indices (item − range start) with their weights (the user's whole-catalog normalisation and dropout, unchanged),
/// and every click as a flat index into the shard's [B, range] logits. Each user's click count over the whole catalog
/// (the multinomial's n_u) comes with it, since the softmax spans all shards.
/// </summary>
public sealed class ItemShardBatch : IDisposable
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
    /// This shard's part of the batch of <paramref name="rows"/>, built from its bucketed clicks alone: the same tensors
    /// as cutting the whole batch (<see cref="SparseBatch.Create"/>, then <see cref="Split"/>). Dropout comes from
    /// (seed, epoch, user key, global item); user keys are the rows unless <paramref name="userKeys"/> gives one per row.
    /// </summary>
    public static ItemShardBatch Create(ItemShardClicks clicks, ReadOnlySpan<int> rows, double dropoutRate, ulong seed, long epoch,
        Device? device = null, ReadOnlySpan<long> userKeys = default)
    {
        if (!userKeys.IsEmpty && userKeys.Length != rows.Length)
            throw new ArgumentException($"{userKeys.Length} user keys for {rows.Length} rows.", nameof(userKeys));
        device ??= torch.CPU;
        var range = clicks.Range;
        int b = rows.Length, total = 0;
        foreach (int r in rows) total += clicks.Clicks.RowLength(r);
        var inputItems = new long[total];
        var inputWeights = new float[total];
        var inputOffsets = new long[b];
        var flat = new long[total];
        var counts = new float[b];
        double keep = 1.0 - dropoutRate;
        int kept = 0, all = 0;
        for (int u = 0; u < b; u++)
        {
            int row = rows[u];
            long key = userKeys.IsEmpty ? row : userKeys[u];
            inputOffsets[u] = kept;
            int length = clicks.RowLengths[row];
            counts[u] = length;
            // The user's normalisation over the whole catalog, computed as SparseBatch.Create does.
            float normalized = length == 0 ? 0 : (float)(1.0 / Math.Sqrt(length));
            float value = dropoutRate > 0 ? (float)(normalized / keep) : normalized;
            foreach (int local in clicks.Clicks.Row(row))
            {
                flat[all++] = (long)u * range.Count + local;
                if (dropoutRate > 0 &&
                    CounterRandom.Uniform(seed, CounterRandom.DropoutStream, (ulong)epoch, (ulong)key, (ulong)(local + range.Start)) >= keep)
                    continue;
                inputItems[kept] = local;
                inputWeights[kept] = value;
                kept++;
            }
        }
        return new ItemShardBatch(torch.tensor(inputItems.AsSpan(0, kept).ToArray()).to(device), torch.tensor(inputOffsets).to(device),
            torch.tensor(inputWeights.AsSpan(0, kept).ToArray()).to(device), torch.tensor(flat).to(device), torch.tensor(counts).to(device), b, range);
    }

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

    /// <summary>Detaches the batch's tensors from the current dispose scope, so the batch can outlive it (then <see cref="Dispose"/> it).</summary>
    public ItemShardBatch DetachFromDisposeScope()
    {
        foreach (var t in new[] { InputItems, InputOffsets, InputWeights, ClickFlatIndices, ClickCounts }) t.DetachFromDisposeScope();
        return this;
    }

    /// <summary>Frees the batch's tensors.</summary>
    public void Dispose()
    {
        foreach (var t in new[] { InputItems, InputOffsets, InputWeights, ClickFlatIndices, ClickCounts }) t.Dispose();
    }
}
