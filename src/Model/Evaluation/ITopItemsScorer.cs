using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// A scorer that ranks without handing over every item's score: <see cref="RankingEvaluator"/> asks it for each row's
/// top items instead of calling <see cref="IRecommenderScorer.Score"/>, so no [users × items] tensor need exist for
/// the whole catalog (an item-sharded model merges its shards' top items).
/// </summary>
public interface ITopItemsScorer : IRecommenderScorer
{
    /// <summary>
    /// The <paramref name="k"/> best items of rows [start, start + count) of <paramref name="foldIn"/>, best first, never
    /// a row's own fold-in items, row-major [count, k]. Throws <see cref="InvalidOperationException"/> on NaN scores.
    /// </summary>
    long[] TopItems(ClickMatrix foldIn, int start, int count, int k);
}
