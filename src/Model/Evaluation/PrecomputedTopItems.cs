using VaeCfCluster.Model.Data;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Rankings computed elsewhere (by item shards on other silos, say), handed to <see cref="RankingEvaluator"/>: the best
/// <see cref="K"/> items of every user of a held-out set, best first, row-major. It serves top items only.
/// </summary>
public sealed class PrecomputedTopItems : ITopItemsScorer
{
    private readonly long[] _items;

    /// <summary>Takes <paramref name="items"/>: <paramref name="users"/> rows of <paramref name="k"/> items each, over a catalog of <paramref name="itemCount"/>.</summary>
    public PrecomputedTopItems(int itemCount, int users, int k, long[] items)
    {
        if (items.LongLength != (long)users * k) throw new ArgumentException($"{items.Length} ranked items for {users} users × {k}.", nameof(items));
        ItemCount = itemCount;
        K = k;
        _items = items;
    }

    /// <inheritdoc />
    public int ItemCount { get; }

    /// <summary>Items ranked per user.</summary>
    public int K { get; }

    /// <inheritdoc />
    public long[] TopItems(ClickMatrix foldIn, int start, int count, int k)
    {
        if (k != K) throw new ArgumentException($"Rankings of {K} items were computed; {k} were asked for.", nameof(k));
        if (start < 0 || count < 0 || (long)(start + count) * K > _items.LongLength)
            throw new ArgumentOutOfRangeException(nameof(start), $"Users [{start}, {start + count}) are outside the {_items.Length / Math.Max(1, K)} ranked users.");
        return _items.AsSpan(start * K, count * K).ToArray();
    }

    /// <inheritdoc />
    /// <remarks>Only the top items were computed: every score is not available.</remarks>
    public Tensor Score(ClickMatrix foldIn, int start, int count) =>
        throw new NotSupportedException("Precomputed rankings hold each user's top items only, not every item's score.");
}
