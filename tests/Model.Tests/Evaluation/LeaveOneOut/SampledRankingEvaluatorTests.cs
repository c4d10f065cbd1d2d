using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Evaluation.LeaveOneOut;

namespace VaeCfCluster.Model.Tests.Evaluation.LeaveOneOut;

public sealed class SampledRankingEvaluatorTests
{
    private const int Items = 20;

    /// <summary>
    /// Four users over 20 items, each with fold-in {0}, held-out {1} and negatives {2..13}. The fold-in item and the
    /// non-candidate items 14..19 are scored above everything and must not count. Held-out ranks, by hand:
    /// user 0: above every negative, rank 1; user 1: 9 negatives above, rank 10; user 2: 10 negatives above, rank 11;
    /// user 3: 2 negatives above and 5 tied, rank 3 (ties go to the held-out item).
    /// </summary>
    private static (HeldOutUsers Users, SampledNegatives Negatives, FixedScorer Scorer) HandBuilt()
    {
        var users = EvaluationTestData.FromLists(Items, [[0], [0], [0], [0]], [[1], [1], [1], [1]]);
        var negatives = new SampledNegatives(4, Items, 12,
            Enumerable.Repeat(Enumerable.Range(2, 12), 4).SelectMany(r => r).ToArray());
        float[] Row(float heldOut, float[] negativeScores)
        {
            var row = new float[Items];
            row[0] = 1000;
            row[1] = heldOut;
            negativeScores.CopyTo(row, 2);
            for (int i = 14; i < Items; i++) row[i] = 999;
            return row;
        }
        var scorer = FixedScorer.FromRows(
            Row(50, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
            Row(5, [10, 10, 10, 10, 10, 10, 10, 10, 10, 1, 1, 1]),
            Row(5, [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 1, 1]),
            Row(5, [7, 7, 5, 5, 5, 5, 5, 3, 3, 3, 3, 3]));
        return (users, negatives, scorer);
    }

    [Fact]
    public void Evaluate_HandBuiltRanks_GiveExactHitRatioAndNdcgAt10()
    {
        var (users, negatives, scorer) = HandBuilt();
        var evaluator = new SampledRankingEvaluator();
        var result = evaluator.Evaluate(scorer, users, negatives);

        double[] expectedHr = [1, 1, 0, 1];
        double[] expectedNdcg = [1, 1 / Math.Log2(11), 0, 0.5];
        Assert.Equal([RankingMetric.Recall(10), RankingMetric.Ndcg(10)], result.Metrics);
        Assert.Equal(expectedHr, result[RankingMetric.Recall(10)].Values);
        for (int u = 0; u < 4; u++) Assert.Equal(expectedNdcg[u], result[RankingMetric.Ndcg(10)].Values[u], 15);
        Assert.Equal(0.75, result[evaluator.HitRatio].Mean, 15);
        Assert.Equal((1 + 1 / Math.Log2(11) + 0.5) / 4, result[evaluator.Ndcg].Mean, 15);
        Assert.Equal([1, 1, 1, 1], result.FoldInCounts);
        Assert.Equal([1, 1, 1, 1], result.HeldOutCounts);
        // Standard error as everywhere else: ddof-0 standard deviation / sqrt(n); HR values 1,1,0,1: sd = sqrt(3/16).
        Assert.Equal(Math.Sqrt(3.0 / 16) / 2, result[evaluator.HitRatio].StandardError, 15);
    }

    [Theory]
    [InlineData(10, new[] { 1.0, 1, 0, 1 })]
    [InlineData(11, new[] { 1.0, 1, 1, 1 })]
    [InlineData(9, new[] { 1.0, 0, 0, 1 })]
    [InlineData(2, new[] { 1.0, 0, 0, 0 })]
    public void Evaluate_CutoffAroundRanks10And11_CountsHitExactlyWhenRankAtMostCutoff(int cutoff, double[] expectedHr)
    {
        var (users, negatives, scorer) = HandBuilt();
        var evaluator = new SampledRankingEvaluator(cutoff);
        var result = evaluator.Evaluate(scorer, users, negatives);
        Assert.Equal(expectedHr, result[RankingMetric.Recall(cutoff)].Values);
        int[] ranks = [1, 10, 11, 3];
        for (int u = 0; u < 4; u++)
            Assert.Equal(ranks[u] <= cutoff ? 1 / Math.Log2(ranks[u] + 1) : 0, result[RankingMetric.Ndcg(cutoff)].Values[u], 15);
    }

    [Fact]
    public void Evaluate_ConstantScores_TiesGoToHeldOutItem()
    {
        var users = EvaluationTestData.FromLists(6, [[0]], [[5]]);
        var negatives = new SampledNegatives(1, 6, 4, [1, 2, 3, 4]);
        var result = new SampledRankingEvaluator(cutoff: 1).Evaluate(FixedScorer.FromRows([3f, 3f, 3f, 3f, 3f, 3f]), users, negatives);
        Assert.Equal(1.0, result[RankingMetric.Recall(1)].Mean);
        Assert.Equal(1.0, result[RankingMetric.Ndcg(1)].Mean);
        Assert.Equal(3, SampledRankingEvaluator.Rank(2.0, [2.0, 5.0, 1.0, 3.0]));
    }

    [Fact]
    public void Evaluate_RandomTiedScores_MatchNaiveRankingForEveryBatchSize()
    {
        var data = LeaveOneOutTestData.Random(seed: 6, users: 37, items: 150, minClicks: 0, maxClicks: 30);
        var loo = LeaveOneOutSplitter.Split(data, new LeaveOneOutOptions { NegativeCount = 40 });
        int users = loo.KeptUserCount;
        var random = new Random(9);
        // Integer scores in [0, 25): many ties between the held-out item and its negatives.
        var rows = Enumerable.Range(0, users).Select(_ => Enumerable.Range(0, data.ItemCount).Select(_ => (float)random.Next(25)).ToArray()).ToArray();
        var scorer = FixedScorer.FromRows(rows);

        var naiveHr = new double[users];
        var naiveNdcg = new double[users];
        for (int u = 0; u < users; u++)
        {
            float heldOut = rows[u][loo.TestItem(u)];
            int above = 0;
            foreach (int item in loo.TestNegatives.Row(u)) if (rows[u][item] > heldOut) above++;
            int rank = above + 1;
            naiveHr[u] = rank <= 5 ? 1 : 0;
            naiveNdcg[u] = rank <= 5 ? Math.Log(2) / Math.Log(rank + 1) : 0;
        }
        Assert.Contains(0.0, naiveHr);
        Assert.Contains(1.0, naiveHr);

        foreach (int batch in new[] { 1, 7, users })
        {
            var result = new SampledRankingEvaluator(cutoff: 5, batchSize: batch).Evaluate(scorer, loo);
            Assert.Equal(Enumerable.Range(0, users), result.UserIndices);
            Assert.Equal(naiveHr, result[RankingMetric.Recall(5)].Values);
            for (int u = 0; u < users; u++) Assert.Equal(naiveNdcg[u], result[RankingMetric.Ndcg(5)].Values[u], 12);
        }

        var evaluator = new SampledRankingEvaluator(cutoff: 5, batchSize: 4);
        var shards = new[] { evaluator.EvaluateRange(scorer, loo.Split.Test, loo.TestNegatives, 20, users - 20),
                             evaluator.EvaluateRange(scorer, loo.Split.Test, loo.TestNegatives, 0, 20) };
        var combined = EvaluationResult.Combine(shards);
        Assert.Equal(naiveHr, combined[RankingMetric.Recall(5)].Values);
    }

    [Fact]
    public void Evaluate_UserWithoutHeldOutItem_IsSkipped()
    {
        var users = EvaluationTestData.FromLists(8, [[0], [1], [2]], [[7], [], [6]]);
        var negatives = new SampledNegatives(3, 8, 2, [1, 2, 3, 4, 3, 4]);
        var scorer = FixedScorer.FromRows(
            [0, 5, 1, 0, 0, 0, 0, 2],
            [0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 9, 0, 0, 1, 0]);
        var result = new SampledRankingEvaluator(cutoff: 1).Evaluate(scorer, users, negatives);
        Assert.Equal([0, 2], result.UserIndices);
        Assert.Equal(1, result.SkippedUserCount);
        // User 0: negatives 1 (5) and 2 (1) vs held-out 2 -> rank 2; user 2: negative 3 (9) above 1 -> rank 2.
        Assert.Equal([0.0, 0.0], result[RankingMetric.Recall(1)].Values);
        Assert.True(double.IsNaN(result.PerUser.Values(0)[1]));
    }

    [Fact]
    public void Evaluate_NegativeAmongFoldInOrTwoHeldOutItems_Throws()
    {
        var scorer = FixedScorer.FromRows([0, 1, 2, 3, 4, 5]);
        var evaluator = new SampledRankingEvaluator();
        var foldInNegative = EvaluationTestData.FromLists(6, [[0, 1]], [[5]]);
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(scorer, foldInNegative, new SampledNegatives(1, 6, 2, [1, 2])));
        var heldOutNegative = EvaluationTestData.FromLists(6, [[0]], [[5]]);
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(scorer, heldOutNegative, new SampledNegatives(1, 6, 2, [5, 2])));
        var twoHeldOut = EvaluationTestData.FromLists(6, [[0]], [[4, 5]]);
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(scorer, twoHeldOut, new SampledNegatives(1, 6, 2, [1, 2])));
        var wrongUsers = new SampledNegatives(2, 6, 2, [1, 2, 1, 2]);
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(scorer, heldOutNegative, wrongUsers));
    }

    [Fact]
    public void Evaluate_ScorerTensors_AreDisposedWithEveryBatch()
    {
        // A tensor the evaluator failed to dispose would land in the caller's open scope.
        var (users, negatives, scorer) = HandBuilt();
        using var scope = torch.NewDisposeScope();
        new SampledRankingEvaluator(batchSize: 1).Evaluate(scorer, users, negatives);
        Assert.Equal(0, scope.DisposablesCount);
    }
}
