using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Networks;

/// <summary>
/// One batch of users as the network sees it: the encoder input as bags of kept clicked items with their weights
/// (the L2-normalised, dropped-out rows of x; only clicked items are stored, so the first layer costs
/// O(clicks · hidden), not O(B · I · hidden)), and the clicks themselves (flat indices into [B, I]) for the likelihood.
/// Dropout keeps click (u, i) when the counter hash of (seed, epoch, user u, item i) falls below 1 − rate,
/// so masks do not depend on batching or sharding. The caller disposes the tensors (or lets a dispose scope).
/// </summary>
public sealed class SparseBatch
{
    internal SparseBatch(Tensor inputItems, Tensor inputOffsets, Tensor inputWeights, Tensor clickFlatIndices, Tensor clickCounts,
        int userCount, int itemCount, long[] userKeys, Tensor? clickWeights = null)
    {
        ClickWeights = clickWeights;
        InputItems = inputItems;
        InputOffsets = inputOffsets;
        InputWeights = inputWeights;
        ClickFlatIndices = clickFlatIndices;
        ClickCounts = clickCounts;
        UserCount = userCount;
        ItemCount = itemCount;
        UserKeys = userKeys;
    }

    /// <summary>int64 [kept]: the kept clicked items of all users, user by user (the input's non-zero columns).</summary>
    public Tensor InputItems { get; }

    /// <summary>int64 [B]: where each user's items start in <see cref="InputItems"/> (empty bags allowed).</summary>
    public Tensor InputOffsets { get; }

    /// <summary>float32 [kept]: the input's values, 1/‖x_u‖ for kept clicks, scaled by 1/keep under dropout.</summary>
    public Tensor InputWeights { get; }

    /// <summary>int64 [clicks]: row·I + item for every click of the batch (no dropout).</summary>
    public Tensor ClickFlatIndices { get; }

    /// <summary>
    /// float32 [clicks], or null when every click weighs 1: each click's weight in the likelihood
    /// (<see cref="AutoencoderConfig.KeptClickWeight"/> for the clicks dropout kept, 1 for those it dropped).
    /// </summary>
    public Tensor? ClickWeights { get; }

    /// <summary>float32 [B]: number of clicks per user (the sum of their <see cref="ClickWeights"/> when weighted).</summary>
    public Tensor ClickCounts { get; }

    /// <summary>Number of users B.</summary>
    public int UserCount { get; }

    /// <summary>Number of items I.</summary>
    public int ItemCount { get; }

    /// <summary>The stable key of each row's user (its training row), which seeds that user's randomness.</summary>
    public long[] UserKeys { get; }

    /// <summary>
    /// Builds the batch for <paramref name="rows"/> of <paramref name="clicks"/>. With <paramref name="dropoutRate"/>
    /// 0 (evaluation) every click is kept unscaled; otherwise masks come from (seed, epoch, user key). The user keys
    /// are the row numbers unless <paramref name="userKeys"/> gives one per row (a worker holding a partition of the
    /// users passes their global row numbers, so its masks equal the single-process trainer's). A
    /// <paramref name="keptClickWeight"/> below 1 weighs the kept clicks' likelihood terms by it (the dropped ones by 1).
    /// </summary>
    public static SparseBatch Create(ClickMatrix clicks, ReadOnlySpan<int> rows, double dropoutRate, ulong seed, long epoch,
        Device? device = null, ReadOnlySpan<long> userKeys = default, double keptClickWeight = 1.0)
    {
        if (!userKeys.IsEmpty && userKeys.Length != rows.Length)
            throw new ArgumentException($"{userKeys.Length} user keys for {rows.Length} rows.", nameof(userKeys));
        int b = rows.Length, items = clicks.ColumnCount;
        int total = 0;
        foreach (int r in rows) total += clicks.RowLength(r);
        var inputOffsets = new long[b];
        var inputCols = new long[total];
        var inputValues = new float[total];
        var flat = new long[total];
        var counts = new float[b];
        bool weighted = keptClickWeight != 1.0 && dropoutRate > 0;
        var clickWeights = weighted ? new float[total] : null;
        var keys = new long[b];
        double keep = 1.0 - dropoutRate;
        int kept = 0, all = 0;
        for (int u = 0; u < b; u++)
        {
            int row = rows[u];
            long key = userKeys.IsEmpty ? row : userKeys[u];
            keys[u] = key;
            inputOffsets[u] = kept;
            var cols = clicks.Row(row);
            if (cols.Length == 0) continue;
            int keptBefore = kept;
            float normalized = (float)(1.0 / Math.Sqrt(cols.Length));
            float value = dropoutRate > 0 ? (float)(normalized / keep) : normalized;
            foreach (int item in cols)
            {
                int click = all++;
                flat[click] = (long)u * items + item;
                bool dropped = dropoutRate > 0 && CounterRandom.Uniform(seed, CounterRandom.DropoutStream, (ulong)epoch, (ulong)key, (ulong)item) >= keep;
                if (clickWeights is not null) clickWeights[click] = dropped ? 1f : (float)keptClickWeight;
                if (dropped) continue;
                inputCols[kept] = item;
                inputValues[kept] = value;
                kept++;
            }
            counts[u] = clickWeights is null ? cols.Length : WeightedCount(cols.Length, kept - keptBefore, keptClickWeight);
        }
        device ??= torch.CPU;
        return new SparseBatch(torch.tensor(inputCols.AsSpan(0, kept).ToArray()).to(device), torch.tensor(inputOffsets).to(device),
            torch.tensor(inputValues.AsSpan(0, kept).ToArray()).to(device), torch.tensor(flat).to(device),
            torch.tensor(counts).to(device), b, items, keys, clickWeights is null ? null : torch.tensor(clickWeights).to(device));
    }

    /// <summary>
    /// A user's weighted click count: dropped clicks weigh 1, kept ones the float32 <paramref name="keptClickWeight"/>,
    /// summed in float64 from the two counts, so host and device agree to the bit.
    /// </summary>
    internal static float WeightedCount(int clicks, int kept, double keptClickWeight) =>
        (float)(clicks - kept + kept * (double)(float)keptClickWeight);

    /// <summary>Builds an evaluation batch of the contiguous rows [start, start + count): no dropout.</summary>
    public static SparseBatch ForScoring(ClickMatrix clicks, int start, int count, Device? device = null)
    {
        var rows = new int[count];
        for (int i = 0; i < count; i++) rows[i] = start + i;
        return Create(clicks, rows, 0.0, 0, 0, device);
    }
}
