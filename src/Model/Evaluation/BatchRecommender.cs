using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Top-N recommendations for many users at once: each batch of rows of a click matrix is ranked by the model
/// (<see cref="ScorerRanking"/>: an item-range or item-sharded scorer never forms a [batch × catalog] tensor) and each
/// row's own clicks are left out. A row gets fewer than N items only when fewer than N items lie outside its clicks.
/// The result does not depend on the batch size.
/// </summary>
public static class BatchRecommender
{
    /// <summary>
    /// Rows of <paramref name="clicks"/> in order, <paramref name="batchSize"/> at a time, each with its best
    /// <paramref name="top"/> item columns, best first. Lazy: a batch is ranked when the enumeration reaches it.
    /// </summary>
    public static IEnumerable<UserRecommendation> Recommend(IRecommenderScorer scorer, ClickMatrix clicks, int top, int batchSize,
        CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (clicks.ColumnCount != scorer.ItemCount)
            throw new ArgumentException($"The histories have {clicks.ColumnCount} item columns; the model scores {scorer.ItemCount} items.");
        int k = Math.Min(top, clicks.ColumnCount);
        for (int start = 0; start < clicks.RowCount; start += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, clicks.RowCount - start);
            var ranked = ScorerRanking.TopItems(scorer, clicks, start, count, k);
            for (int b = 0; b < count; b++)
                yield return new UserRecommendation(start + b, OutsideHistory(ranked.AsSpan(b * k, k), clicks.Row(start + b)));
        }
    }

    /// <summary>The ranked items that are not among <paramref name="history"/> (sorted), in rank order.</summary>
    private static int[] OutsideHistory(ReadOnlySpan<long> ranked, ReadOnlySpan<int> history)
    {
        var kept = new List<int>(ranked.Length);
        foreach (long item in ranked)
            if (history.BinarySearch((int)item) < 0) kept.Add((int)item);
        return kept.ToArray();
    }
}
