using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Baselines.Support;

/// <summary>
/// A minimal NDCG@k for the baseline tests (the project's evaluator is separate): fold-in items are excluded from
/// the ranking, DCG@k = Σ_{r&lt;k} 1{item at rank r is held out} / log₂(r + 2), IDCG@k is the DCG of a perfect
/// ranking of min(k, |held out|) items; the mean is over users with at least one held-out item.
/// </summary>
internal static class RankingMetric
{
    internal static double MeanNdcg(IRecommenderScorer scorer, HeldOutUsers users, int k = 100, int batch = 64)
    {
        double total = 0;
        int counted = 0;
        for (int start = 0; start < users.UserCount; start += batch)
        {
            int count = Math.Min(batch, users.UserCount - start);
            using var scores = scorer.Score(users.FoldIn, start, count);
            Assert.Equal(new long[] { count, scorer.ItemCount }, scores.shape);
            var flat = scores.data<float>().ToArray();
            for (int r = 0; r < count; r++)
            {
                int user = start + r;
                var heldOut = users.HeldOut.Row(user);
                if (heldOut.Length == 0) continue;
                var row = flat.AsSpan(r * scorer.ItemCount, scorer.ItemCount).ToArray();
                foreach (int i in users.FoldIn.Row(user)) row[i] = float.NegativeInfinity;
                total += Ndcg(row, heldOut, k);
                counted++;
            }
        }
        return total / counted;
    }

    /// <summary>NDCG@k of one user's scores (ties broken by lower item index first).</summary>
    internal static double Ndcg(float[] scores, ReadOnlySpan<int> relevant, int k)
    {
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k).ToArray();
        var relevantSet = new HashSet<int>(relevant.ToArray());
        double dcg = 0, idcg = 0;
        for (int r = 0; r < order.Length; r++)
            if (relevantSet.Contains(order[r])) dcg += 1 / Math.Log2(r + 2);
        for (int r = 0; r < Math.Min(k, relevant.Length); r++) idcg += 1 / Math.Log2(r + 2);
        return dcg / idcg;
    }
}
