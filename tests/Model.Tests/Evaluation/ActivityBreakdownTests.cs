using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Evaluation;

public sealed class ActivityBreakdownTests
{
    private static readonly RankingMetric Ndcg100 = RankingMetric.Ndcg(100);

    [Fact]
    public void GroupPositions_TwelveUsers_GivesNearEqualGroupsInActivityOrder()
    {
        // Fold-in sizes of users 0..11; ties (3 at users 1, 4, 9; 8 at users 2, 7) are ordered by user index.
        int[] foldIn = [5, 3, 8, 1, 3, 12, 2, 8, 20, 3, 7, 6];
        int[] users = Enumerable.Range(0, 12).ToArray();
        var groups = ActivityBreakdown.GroupPositions(foldIn, users);
        // Sorted: 3(1) 6(2) | 1(3) 4(3) | 9(3) 0(5) 11(6) | 10(7) 2(8) | 7(8) 5(12) 8(20); boundaries floor(12 g / 5) = 0, 2, 4, 7, 9, 12.
        Assert.Equal([[3, 6], [1, 4], [9, 0, 11], [10, 2], [7, 5, 8]], groups);
    }

    [Fact]
    public void ForModel_KnownValues_GivesRangesMeansAndStandardErrors()
    {
        // Ten users, two per quintile; user 4 is skipped (no held-out item) and must not appear.
        int[] foldIn = [10, 1, 7, 2, 99, 9, 4, 3, 5, 6, 8];
        int[] heldOut = [1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1];
        double[] ndcg = [0.9, 0.1, 0.6, 0.3, double.NaN, 0.8, 0.5, 0.2, 0.4, 0.5, 0.7];
        var result = Result(start: 20, foldIn, heldOut, ndcg);

        var groups = ActivityBreakdown.ForModel(result);

        Assert.Equal(5, groups.Count);
        Assert.All(groups, g => Assert.Equal(2, g.UserCount));
        // Quintile 1: fold-in 1 and 2 (users 21, 23), NDCG 0.1 and 0.3: mean 0.2, np.std 0.1, SE 0.1 / sqrt(2).
        Assert.Equal((1, 2), (groups[0].MinFoldIn, groups[0].MaxFoldIn));
        Assert.Equal([21, 23], groups[0].UserIndices);
        Assert.Equal(0.2, groups[0].Mean, 15);
        Assert.Equal(0.1 / Math.Sqrt(2), groups[0].StandardError, 15);
        // Then fold-in 3-4 (0.2, 0.5), 5-6 (0.4, 0.5), 7-8 (0.6, 0.7), 9-10 (0.8, 0.9).
        Assert.Equal([(3, 4), (5, 6), (7, 8), (9, 10)], groups.Skip(1).Select(g => (g.MinFoldIn, g.MaxFoldIn)));
        Assert.Equal([0.35, 0.45, 0.65, 0.85], groups.Skip(1).Select(g => Math.Round(g.Mean, 12)));
    }

    [Fact]
    public void Compare_TwoModels_TestsEachGroupAndOverallOnPairedUsers()
    {
        var random = new Random(17);
        int n = 53;
        int[] foldIn = Enumerable.Range(0, n).Select(_ => random.Next(1, 40)).ToArray();
        int[] heldOut = Enumerable.Repeat(1, n).ToArray();
        double[] a = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        // The second model is worse on the least active users and alike elsewhere.
        double[] b = a.Select((v, u) => foldIn[u] < 10 ? v - 0.2 - 0.05 * random.NextDouble() : v + 0.01 * (random.NextDouble() - 0.5)).ToArray();

        var comparison = ActivityBreakdown.Compare(Result(0, foldIn, heldOut, a), Result(0, foldIn, heldOut, b));

        Assert.Equal(Ndcg100, comparison.Metric);
        // Boundaries floor(53 g / 5) = 0, 10, 21, 31, 42, 53.
        Assert.Equal([10, 11, 10, 11, 11], comparison.Groups.Select(g => g.UserCount));
        var sorted = Enumerable.Range(0, n).OrderBy(u => foldIn[u]).ThenBy(u => u).ToArray();
        int from = 0;
        foreach (var group in comparison.Groups)
        {
            var members = sorted.Skip(from).Take(group.UserCount).ToArray();
            from += group.UserCount;
            Assert.Equal(members, group.First.UserIndices);
            Assert.Equal(members.Select(u => b[u]), group.Second.Values);
            var expected = PairedTTest.Compute(members.Select(u => a[u]).ToArray(), members.Select(u => b[u]).ToArray());
            Assert.Equal(expected, group.Test);
        }
        Assert.Equal(PairedTTest.Compute(a, b), comparison.Overall);
        Assert.Equal("***", comparison.Groups[0].Test.Stars);
        Assert.True(comparison.Groups[0].Test.T > 0);
    }

    [Fact]
    public void Compare_DifferentUsers_Throws()
    {
        var first = Result(0, [1, 2, 3, 4, 5], [1, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.5]);
        var second = Result(0, [1, 2, 3, 4, 5], [1, 1, 0, 1, 1], [0.1, 0.2, double.NaN, 0.4, 0.5]);
        Assert.Throws<ArgumentException>(() => ActivityBreakdown.Compare(first, second));
    }

    [Fact]
    public void ForModel_FewerUsersThanGroups_Throws() =>
        Assert.Throws<ArgumentException>(() => ActivityBreakdown.ForModel(Result(0, [1, 2, 3], [1, 1, 1], [0.1, 0.2, 0.3])));

    private static EvaluationResult Result(int start, int[] foldIn, int[] heldOut, double[] ndcg) =>
        new(new UserRangeMetrics(start, [Ndcg100], foldIn, heldOut, [ndcg]));
}
