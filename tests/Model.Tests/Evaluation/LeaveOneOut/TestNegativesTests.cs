using VaeCfCluster.Model.Evaluation.LeaveOneOut;

namespace VaeCfCluster.Model.Tests.Evaluation.LeaveOneOut;

public sealed class TestNegativesTests
{
    [Theory]
    [InlineData(20)]   // plenty of unclicked items: rejection sampling
    [InlineData(70)]   // unclicked items fewer than twice the count for the busiest users: the listing path
    public void Split_Negatives_AreDistinctNeverClickedAndNegativeCountPerUser(int negativeCount)
    {
        var data = LeaveOneOutTestData.Random(seed: 5, users: 40, items: 120, minClicks: 3, maxClicks: 50);
        var loo = LeaveOneOutSplitter.Split(data, new LeaveOneOutOptions { NegativeCount = negativeCount });

        Assert.Equal(loo.KeptUserCount, loo.TestNegatives.UserCount);
        Assert.Equal(negativeCount, loo.TestNegatives.NegativeCount);
        for (int k = 0; k < loo.KeptUserCount; k++)
        {
            var clicked = LeaveOneOutTestData.Row(data, loo.SourceUsers[k]).ToHashSet();
            var negatives = loo.TestNegatives.Row(k).ToArray();
            Assert.Equal(negativeCount, negatives.Length);
            Assert.Equal(negativeCount, negatives.Distinct().Count());
            Assert.All(negatives, item => Assert.InRange(item, 0, data.ItemCount - 1));
            Assert.All(negatives, item => Assert.DoesNotContain(item, clicked));
        }
        var again = LeaveOneOutSplitter.Split(data, new LeaveOneOutOptions { NegativeCount = negativeCount });
        Assert.Equal(loo.TestNegatives.ToArrays(), again.TestNegatives.ToArrays());
    }

    [Fact]
    public void Split_NegativeCountEqualToUnclickedItems_TakesEveryUnclickedItem()
    {
        var data = LeaveOneOutTestData.FromRows(10, [[0, 3, 4, 9]], ["a"]);
        var loo = LeaveOneOutSplitter.Split(data, new LeaveOneOutOptions { NegativeCount = 6 });
        Assert.Equal([1, 2, 5, 6, 7, 8], loo.TestNegatives.Row(0).ToArray().Order());
    }

    [Fact]
    public void Split_UserWithTooFewUnclickedItems_ThrowsNamingTheUser()
    {
        var data = LeaveOneOutTestData.FromRows(10, [[0, 1, 2], [0, 3, 4, 5, 6]], ["light", "heavy"]);
        var error = Assert.Throws<ArgumentException>(() => LeaveOneOutSplitter.Split(data, new LeaveOneOutOptions { NegativeCount = 6 }));
        Assert.Contains("'heavy'", error.Message);
        Assert.Contains("NegativeCount = 6", error.Message);
    }

    [Theory]
    [InlineData(10)]   // 50 unclicked >= 2 x 10: rejection sampling
    [InlineData(30)]   // 50 unclicked < 2 x 30: partial Fisher-Yates over the listed unclicked items
    public void Split_Negatives_AreUniformOverUnclickedItems(int negativeCount)
    {
        // One user who clicked items 0..9 of 60; over 2,000 seeds each of the 50 unclicked items is drawn with
        // probability negativeCount / 50 per seed. Bounds are over 5 binomial standard deviations.
        var data = LeaveOneOutTestData.FromRows(60, [Enumerable.Range(0, 10).ToArray()], ["a"]);
        var counts = new int[60];
        const int seeds = 2000;
        for (ulong seed = 0; seed < seeds; seed++)
            foreach (int item in LeaveOneOutSplitter.Split(data, new LeaveOneOutOptions { Seed = seed, NegativeCount = negativeCount })
                         .TestNegatives.Row(0))
                counts[item]++;
        double p = negativeCount / 50.0, expected = seeds * p, sd = Math.Sqrt(seeds * p * (1 - p));
        Assert.All(counts[..10], c => Assert.Equal(0, c));
        Assert.All(counts[10..], c => Assert.InRange(c, expected - 5.5 * sd, expected + 5.5 * sd));
    }

    [Fact]
    public void SampledNegatives_RepeatedOrOutOfRangeItem_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SampledNegatives(2, 10, 2, [1, 2, 3, 3]));
        Assert.Throws<ArgumentException>(() => new SampledNegatives(2, 10, 2, [1, 2, 3, 10]));
        Assert.Throws<ArgumentException>(() => new SampledNegatives(2, 10, 2, [1, 2, 3]));
        Assert.Equal([[1, 2], [2, 1]], new SampledNegatives(2, 10, 2, [1, 2, 2, 1]).ToArrays());
    }
}
