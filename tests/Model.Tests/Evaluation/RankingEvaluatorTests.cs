using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Evaluation;

public sealed class RankingEvaluatorTests
{
    private static readonly RankingMetric[] Metrics =
        [RankingMetric.Recall(5), RankingMetric.Recall(20), RankingMetric.Ndcg(10), RankingMetric.Ndcg(100)];

    [Fact]
    public void Evaluate_FoldInItemScoredHighest_IsExcludedFromRanking()
    {
        // Items 0..4; fold-in {0}, held-out {3}. Scores rank 0 > 3 > 1 > 2 > 4. With item 0 removed, item 3 is rank 1:
        // Recall@1 = 1 / min(1, 1) = 1 and NDCG@2 = 1. Had item 0 counted, item 3 would be rank 2: Recall@1 = 0 and
        // NDCG@2 = (1/log2 3) / 1 = 0.63.
        var users = EvaluationTestData.FromLists(5, [[0]], [[3]]);
        var scorer = FixedScorer.FromRows([10f, 4f, 3f, 5f, 1f]);
        var result = new RankingEvaluator([RankingMetric.Recall(1), RankingMetric.Ndcg(2)]).Evaluate(scorer, users);
        Assert.Equal(1.0, result[RankingMetric.Recall(1)].Mean);
        Assert.Equal(1.0, result[RankingMetric.Ndcg(2)].Mean);
    }

    [Fact]
    public void Evaluate_FormulaScorer_MatchesNaiveFullSortPerUser()
    {
        var users = EvaluationTestData.Random(seed: 11, users: 60, items: 80, maxClicks: 30);
        var result = new RankingEvaluator(Metrics, batchSize: 16).Evaluate(new FormulaScorer(80), users);

        var expectedUsers = Enumerable.Range(0, users.UserCount).Where(u => users.HeldOut.RowLength(u) > 0).ToArray();
        Assert.Equal(expectedUsers, result.UserIndices);
        foreach (var metric in Metrics)
        {
            var expected = expectedUsers.Select(u => NaiveMetric(users, u, metric)).ToArray();
            var actual = result[metric].Values;
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
            Assert.Equal(expected.Average(), result[metric].Mean, 12);
        }
        Assert.Contains(result[RankingMetric.Ndcg(100)].Values, v => v > 0 && v < 1);
    }

    [Fact]
    public void Evaluate_BatchSizesOneSevenAndAll_GiveIdenticalPerUserValues()
    {
        var users = EvaluationTestData.Random(seed: 3, users: 45, items: 70, maxClicks: 25);
        var scorer = new FormulaScorer(70);
        var full = new RankingEvaluator(Metrics, batchSize: 45).Evaluate(scorer, users);
        foreach (int batch in new[] { 1, 7 })
        {
            var batched = new RankingEvaluator(Metrics, batchSize: batch).Evaluate(scorer, users);
            Assert.Equal(full.UserIndices, batched.UserIndices);
            foreach (var metric in Metrics) Assert.Equal(full[metric].Values, batched[metric].Values);
        }
    }

    [Fact]
    public void Evaluate_BatchSize_BoundsEveryScorerCall()
    {
        var users = EvaluationTestData.Random(seed: 5, users: 23, items: 40, maxClicks: 10);
        var scorer = new FormulaScorer(40);
        new RankingEvaluator(Metrics, batchSize: 7).Evaluate(scorer, users);
        // User 0 has no held-out item but shares its batch with users that do, so every batch is scored.
        Assert.Equal([(0, 7), (7, 7), (14, 7), (21, 2)], scorer.Calls);
    }

    [Fact]
    public void Evaluate_UsersDone_ToldAfterEveryBatch()
    {
        var users = EvaluationTestData.Random(seed: 5, users: 23, items: 40, maxClicks: 10);
        var done = new List<int>();

        new RankingEvaluator(Metrics, batchSize: 7) { UsersDone = done.Add }.Evaluate(new FormulaScorer(40), users);

        Assert.Equal([7, 14, 21, 23], done);
    }

    [Fact]
    public void EvaluateRange_ShardsCombinedInAnyOrder_EqualFullEvaluationExactly()
    {
        var users = EvaluationTestData.Random(seed: 7, users: 50, items: 60, maxClicks: 20);
        var scorer = new FormulaScorer(60);
        var evaluator = new RankingEvaluator(Metrics, batchSize: 8);
        var full = evaluator.Evaluate(scorer, users);
        var shards = new[] { (31, 19), (0, 13), (13, 0), (13, 18) }
            .Select(r => evaluator.EvaluateRange(scorer, users, r.Item1, r.Item2));
        var combined = EvaluationResult.Combine(shards);

        Assert.Equal(full.UserIndices, combined.UserIndices);
        Assert.Equal(full.FoldInCounts, combined.FoldInCounts);
        Assert.Equal(full.HeldOutCounts, combined.HeldOutCounts);
        Assert.Equal(full.SkippedUserCount, combined.SkippedUserCount);
        foreach (var metric in Metrics)
        {
            Assert.Equal(full[metric].Values, combined[metric].Values);
            Assert.Equal(full[metric].Mean, combined[metric].Mean);
            Assert.Equal(full[metric].StandardError, combined[metric].StandardError);
        }
    }

    [Fact]
    public void Combine_GapOrOverlapOrDifferentMetrics_Throws()
    {
        var users = EvaluationTestData.Random(seed: 7, users: 20, items: 30, maxClicks: 10);
        var scorer = new FormulaScorer(30);
        var evaluator = new RankingEvaluator(Metrics);
        var first = evaluator.EvaluateRange(scorer, users, 0, 10);
        Assert.Throws<ArgumentException>(() => UserRangeMetrics.Combine([first, evaluator.EvaluateRange(scorer, users, 11, 9)]));
        Assert.Throws<ArgumentException>(() => UserRangeMetrics.Combine([first, evaluator.EvaluateRange(scorer, users, 9, 11)]));
        var other = new RankingEvaluator([RankingMetric.Recall(5)]).EvaluateRange(scorer, users, 10, 10);
        Assert.Throws<ArgumentException>(() => UserRangeMetrics.Combine([first, other]));
    }

    [Fact]
    public void Evaluate_UsersWithoutHeldOutItems_AreSkippedAndCounted()
    {
        // Users 0 and 1 have no held-out item; user 2 has one; user 3 has no fold-in item but is evaluated.
        var users = EvaluationTestData.FromLists(6, [[1], [2, 3], [0], []], [[], [], [4], [5]]);
        var scorer = new FormulaScorer(6);
        var result = new RankingEvaluator(Metrics, batchSize: 2).Evaluate(scorer, users);
        Assert.Equal(2, result.SkippedUserCount);
        Assert.Equal(2, result.EvaluatedUserCount);
        Assert.Equal([2, 3], result.UserIndices);
        Assert.Equal([1, 0], result.FoldInCounts);
        Assert.All(result.Summaries, s => Assert.Equal(2, s.Count));
        Assert.True(double.IsNaN(result.PerUser.Values(0)[0]));
        // The first batch (users 0 and 1) has nothing to evaluate and is never scored.
        Assert.Equal([(2, 2)], scorer.Calls);
    }

    [Fact]
    public void Evaluate_NoUserWithHeldOutItems_GivesNaNMeansAndCountsAllSkipped()
    {
        var users = EvaluationTestData.FromLists(3, [[1], [2]], [[], []]);
        var result = new RankingEvaluator(Metrics).Evaluate(new FormulaScorer(3), users);
        Assert.Equal(2, result.SkippedUserCount);
        Assert.True(double.IsNaN(result[Metrics[0]].Mean));
    }

    [Fact]
    public void Evaluate_FoldInAndHeldOutOverlap_Throws()
    {
        var users = EvaluationTestData.FromLists(4, [[1, 2]], [[2]]);
        var error = Assert.Throws<ArgumentException>(() => new RankingEvaluator(Metrics).Evaluate(new FormulaScorer(4), users));
        Assert.Contains("item 2", error.Message);
    }

    [Fact]
    public void Evaluate_ScorerWithWrongShapeOrNaN_Throws()
    {
        var users = EvaluationTestData.FromLists(3, [[0], [1]], [[1], [2]]);
        var evaluator = new RankingEvaluator(Metrics);
        Assert.Throws<ArgumentException>(() => evaluator.Evaluate(FixedScorer.FromRows([1f, 2f], [3f, 4f]), users));
        Assert.Throws<InvalidOperationException>(() => evaluator.Evaluate(FixedScorer.FromRows([1f, float.NaN, 2f], [1f, 2f, 3f]), users));
        // A NaN must be caught even where only the top 1 of 6 items is extracted and the other scores are large.
        var wide = EvaluationTestData.FromLists(6, [[0]], [[1]]);
        Assert.Throws<InvalidOperationException>(() =>
            new RankingEvaluator([RankingMetric.Recall(1)]).Evaluate(FixedScorer.FromRows([9f, 8f, 7f, 6f, float.NaN, 5f]), wide));
        Assert.Throws<InvalidOperationException>(() => evaluator.Evaluate(new ShapeLyingScorer(), users));
    }

    [Fact]
    public void StandardError_ThreeValues_IsPopulationStdOverSqrtN()
    {
        // Values 0, 0.5, 1: mean 0.5; np.std = sqrt((0.25 + 0 + 0.25) / 3) = sqrt(1/6) = 0.408248290463863;
        // / sqrt(3) = 0.23570226039551584.
        var summary = new MetricSummary(RankingMetric.Ndcg(1), [0, 0.5, 1]);
        Assert.Equal(0.5, summary.Mean);
        Assert.Equal(0.23570226039551584, summary.StandardError, 15);
    }

    /// <summary>Independent reference: rank every non-fold-in item by the formula with a full LINQ sort.</summary>
    private static double NaiveMetric(HeldOutUsers users, int user, RankingMetric metric)
    {
        var foldIn = users.FoldIn.Row(user).ToArray();
        var heldOut = users.HeldOut.Row(user).ToArray().ToHashSet();
        var top = Enumerable.Range(0, users.FoldIn.ColumnCount)
            .Where(i => !foldIn.Contains(i))
            .OrderByDescending(i => FormulaScorer.ScoreOf(user, i, inFoldIn: false))
            .Take(metric.Cutoff)
            .ToArray();
        if (metric.Kind == RankingMetricKind.Recall)
            return top.Count(heldOut.Contains) / (double)Math.Min(metric.Cutoff, heldOut.Count);
        double dcg = top.Select((item, r) => heldOut.Contains(item) ? 1 / Math.Log(r + 2, 2) : 0).Sum();
        double idcg = Enumerable.Range(1, Math.Min(metric.Cutoff, heldOut.Count)).Sum(r => 1 / Math.Log(r + 1, 2));
        return dcg / idcg;
    }

    private sealed class ShapeLyingScorer : IRecommenderScorer
    {
        public int ItemCount => 3;

        public torch.Tensor Score(ClickMatrix foldIn, int start, int count) => torch.zeros(count, 2);
    }
}
