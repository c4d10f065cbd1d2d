using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Evaluation;

public sealed class RankingMetricTests
{
    // Held-out items {1, 4}; ranking (best first) [4, 2, 1, 3, 0]: hits at ranks 1 and 3.
    private static readonly int[] HeldOut = [1, 4];
    private static readonly int[] Ranking = [4, 2, 1, 3, 0];

    [Theory]
    // R = 1: 1 hit (item 4) / min(1, 2) = 1.
    [InlineData(1, 1.0)]
    // R = 2: 1 hit / min(2, 2) = 0.5.
    [InlineData(2, 0.5)]
    // R = 3: 2 hits / min(3, 2) = 1.
    [InlineData(3, 1.0)]
    // R = 5: 2 hits / 2 = 1.
    [InlineData(5, 1.0)]
    public void Recall_HeldOutOneFourRankingFourTwoOne_MatchesHandComputed(int cutoff, double expected) =>
        Assert.Equal(expected, RankingMetric.Recall(cutoff).Evaluate(Ranking, HeldOut), 15);

    [Theory]
    // R = 1: DCG = 1/log2(2) = 1; IDCG = 1 (min(1, 2) = 1 term) -> 1.
    [InlineData(1, 1.0)]
    // R = 2: DCG = 1 (rank 2 is item 2, a miss); IDCG = 1 + 1/log2(3) = 1 + 0.6309297535714574 = 1.6309297535714574
    //        -> 1 / 1.6309297535714574 = 0.6131471927654584.
    [InlineData(2, 0.6131471927654584)]
    // R = 3: DCG = 1 + 1/log2(4) = 1.5; IDCG still 1.6309297535714574 (only 2 held-out items) -> 0.9197207891481876.
    [InlineData(3, 0.9197207891481876)]
    // R = 100: ranks beyond the 5 ranked items count as misses -> same as R = 3.
    [InlineData(100, 0.9197207891481876)]
    public void Ndcg_HeldOutOneFourRankingFourTwoOne_MatchesHandComputed(int cutoff, double expected) =>
        Assert.Equal(expected, RankingMetric.Ndcg(cutoff).Evaluate(Ranking, HeldOut), 14);

    [Fact]
    public void Recall_MoreHeldOutThanCutoff_DividesByCutoff()
    {
        int[] heldOut = [10, 11, 12, 13, 14];
        // Top 2 are both held out: 2 / min(2, 5) = 1, not 2 / 5.
        Assert.Equal(1.0, RankingMetric.Recall(2).Evaluate([12, 10, 0, 1], heldOut));
        // Top 10 of a 12-item ranking hold 3 of the 5: 3 / min(10, 5) = 0.6.
        Assert.Equal(0.6, RankingMetric.Recall(10).Evaluate([0, 10, 1, 2, 11, 3, 4, 5, 6, 12, 13, 14], heldOut), 15);
    }

    [Fact]
    public void Ndcg_PerfectAndEmptyRankings_GiveOneAndZero()
    {
        int[] heldOut = [7, 3, 5];
        Assert.Equal(1.0, RankingMetric.Ndcg(100).Evaluate([5, 3, 7, 0, 1], heldOut), 15);
        Assert.Equal(0.0, RankingMetric.Ndcg(2).Evaluate([0, 1, 7, 3, 5], heldOut));
        // Only the last of three ranks is a hit: DCG = 1/log2(4) = 0.5; IDCG@3 = 1 + 0.6309297535714574 + 0.5
        // = 2.1309297535714574 -> 0.5 / 2.1309297535714574 = 0.23463936301137822.
        Assert.Equal(0.23463936301137822, RankingMetric.Ndcg(3).Evaluate([0, 1, 7], heldOut), 15);
    }

    [Fact]
    public void FromHits_NoHeldOutItem_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetric.Recall(5).FromHits([true, false], 0));

    [Theory]
    [InlineData("Recall@20", RankingMetricKind.Recall, 20)]
    [InlineData("NDCG@100", RankingMetricKind.Ndcg, 100)]
    [InlineData("ndcg@5", RankingMetricKind.Ndcg, 5)]
    public void Parse_DisplayName_GivesKindAndCutoff(string text, RankingMetricKind kind, int cutoff)
    {
        var metric = RankingMetric.Parse(text);
        Assert.Equal(kind, metric.Kind);
        Assert.Equal(cutoff, metric.Cutoff);
    }

    [Theory]
    [InlineData("Recall")]
    [InlineData("Recall@0")]
    [InlineData("Recall@-3")]
    [InlineData("MAP@10")]
    [InlineData("@10")]
    [InlineData("NDCG@ 10")]
    public void Parse_Malformed_ThrowsFormatException(string text) =>
        Assert.Throws<FormatException>(() => RankingMetric.Parse(text));

    [Fact]
    public void Name_PaperMetrics_AreRecall20Recall50Ndcg100()
    {
        Assert.Equal(["Recall@20", "Recall@50", "NDCG@100"], RankingMetric.PaperMetrics.Select(m => m.Name));
        Assert.Equal(RankingMetric.Ndcg(100), RankingMetric.Parse("NDCG@100"));
        Assert.NotEqual(RankingMetric.Recall(100), RankingMetric.Ndcg(100));
    }
}
