namespace VaeCfCluster.Model.Evaluation;

/// <summary>The two ranking metrics of Liang et al. (2018), Section 4.2.</summary>
public enum RankingMetricKind
{
    /// <summary>
    /// Recall@R = (number of held-out items among the top R) / min(R, |I_u|). The denominator is min(R, |I_u|),
    /// not |I_u|, so a perfect ranking scores 1 even when the user has more than R held-out items.
    /// </summary>
    Recall,

    /// <summary>
    /// NDCG@R = DCG@R / IDCG@R with binary gains: DCG@R = sum over ranks r = 1..R of 1[item at r is held out] / log2(r + 1),
    /// IDCG@R = sum over r = 1..min(R, |I_u|) of 1 / log2(r + 1) (all held-out items ranked first).
    /// </summary>
    Ndcg,
}
