using System.Globalization;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// A ranking metric at a cutoff R, such as Recall@20 or NDCG@100 (Liang et al. 2018, Section 4.2; the reference code's
/// <c>Recall_at_k_batch</c> and <c>NDCG_binary_at_k_batch</c>). Equal kinds and cutoffs are equal metrics.
/// </summary>
/// <remarks>
/// Per-user values are computed from a hit vector: <c>hits[r - 1]</c> is true when the item ranked r (1-based, fold-in
/// items already removed from the ranking) is one of the user's held-out items I_u. A user with no held-out item has no
/// defined value (both denominators are 0); the evaluator skips such users rather than producing NaN as the reference does.
/// </remarks>
public sealed record RankingMetric
{
    private RankingMetric(RankingMetricKind kind, int cutoff)
    {
        Kind = kind;
        Cutoff = cutoff;
    }

    /// <summary>Recall or NDCG.</summary>
    public RankingMetricKind Kind { get; }

    /// <summary>The cutoff R: only the top R ranked items count.</summary>
    public int Cutoff { get; }

    /// <summary>Display name, "Recall@20" or "NDCG@100"; <see cref="Parse"/> reads it back.</summary>
    public string Name => (Kind == RankingMetricKind.Recall ? "Recall@" : "NDCG@") + Cutoff.ToString(CultureInfo.InvariantCulture);

    /// <summary>Recall@R. A small R rewards only the very top of the ranking; a large R approaches 1 for any decent model.</summary>
    public static RankingMetric Recall(int cutoff)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cutoff, 1);
        return new RankingMetric(RankingMetricKind.Recall, cutoff);
    }

    /// <summary>NDCG@R with binary gains and log2(r + 1) discounts; the paper selects models by validation NDCG@100.</summary>
    public static RankingMetric Ndcg(int cutoff)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cutoff, 1);
        return new RankingMetric(RankingMetricKind.Ndcg, cutoff);
    }

    /// <summary>The metrics reported in the paper's Table 2: Recall@20, Recall@50 and NDCG@100.</summary>
    public static IReadOnlyList<RankingMetric> PaperMetrics { get; } = [Recall(20), Recall(50), Ndcg(100)];

    /// <summary>Reads "Recall@20" or "NDCG@100" (kind case-insensitive).</summary>
    /// <exception cref="FormatException">The text is not KIND@R with KIND Recall or NDCG and R a positive integer.</exception>
    public static RankingMetric Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int at = text.IndexOf('@');
        if (at > 0 && int.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int cutoff) && cutoff >= 1)
        {
            var kind = text.AsSpan(0, at);
            if (kind.Equals("Recall", StringComparison.OrdinalIgnoreCase)) return Recall(cutoff);
            if (kind.Equals("NDCG", StringComparison.OrdinalIgnoreCase)) return Ndcg(cutoff);
        }
        throw new FormatException($"'{text}' is not a ranking metric; expected Recall@R or NDCG@R with R a positive integer.");
    }

    /// <summary>
    /// The metric for one user from the hit vector of the ranking (<paramref name="hits"/>[r - 1] true when the item ranked
    /// r is held out) and the number of held-out items |I_u|. Ranks beyond <see cref="Cutoff"/> are ignored; a hit vector
    /// shorter than the cutoff (fewer items than R) counts the missing ranks as misses.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="heldOutCount"/> is not positive.</exception>
    public double FromHits(ReadOnlySpan<bool> hits, int heldOutCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heldOutCount, 1);
        int ranks = Math.Min(Cutoff, hits.Length);
        int ideal = Math.Min(Cutoff, heldOutCount);
        if (Kind == RankingMetricKind.Recall)
        {
            int found = 0;
            for (int r = 0; r < ranks; r++) if (hits[r]) found++;
            return (double)found / ideal;
        }
        double dcg = 0, idcg = 0;
        for (int r = 0; r < ranks; r++) if (hits[r]) dcg += Discount(r + 1);
        for (int r = 0; r < ideal; r++) idcg += Discount(r + 1);
        return dcg / idcg;
    }

    /// <summary>
    /// The metric for one user from a ranking (item indices, best first, fold-in items already removed) and the user's
    /// held-out items (any order, no duplicates). A convenience over <see cref="FromHits"/> for small cases.
    /// </summary>
    public double Evaluate(ReadOnlySpan<int> ranking, ReadOnlySpan<int> heldOut)
    {
        var heldOutSet = new HashSet<int>();
        foreach (int item in heldOut) heldOutSet.Add(item);
        var hits = new bool[Math.Min(Cutoff, ranking.Length)];
        for (int r = 0; r < hits.Length; r++) hits[r] = heldOutSet.Contains(ranking[r]);
        return FromHits(hits, heldOutSet.Count);
    }

    /// <summary>The NDCG discount of 1-based rank r: 1 / log2(r + 1).</summary>
    public static double Discount(int rank) => 1.0 / Math.Log2(rank + 1);

    /// <summary>The display name.</summary>
    public override string ToString() => Name;
}
