using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation.LeaveOneOut;

namespace VaeCfCluster.Model.Tests.Evaluation.LeaveOneOut;

public sealed class LeaveOneOutSplitterTests
{
    private static readonly LeaveOneOutOptions SmallNegatives = new() { NegativeCount = 20 };

    [Fact]
    public void Split_EveryKeptUser_TrainPlusValidationPlusTestEqualsOriginalClicks()
    {
        var data = LeaveOneOutTestData.Random(seed: 1, users: 80, items: 120, minClicks: 0, maxClicks: 40);
        var loo = LeaveOneOutSplitter.Split(data, SmallNegatives);
        var split = loo.Split;

        Assert.Equal(loo.KeptUserCount, split.Train.RowCount);
        Assert.Equal(loo.KeptUserCount, split.Test.UserCount);
        Assert.Equal(loo.KeptUserCount, split.Validation.UserCount);
        Assert.Equal(data.ItemIds, split.ItemIds);
        for (int k = 0; k < loo.KeptUserCount; k++)
        {
            int source = loo.SourceUsers[k];
            var original = LeaveOneOutTestData.Row(data, source);
            var train = split.Train.Row(k).ToArray();
            var validationHeldOut = split.Validation.HeldOut.Row(k).ToArray();
            var testHeldOut = split.Test.HeldOut.Row(k).ToArray();
            Assert.Single(validationHeldOut);
            Assert.Single(testHeldOut);
            int validationItem = validationHeldOut[0], testItem = testHeldOut[0];

            Assert.NotEqual(validationItem, testItem);
            Assert.DoesNotContain(validationItem, train);
            Assert.DoesNotContain(testItem, train);
            Assert.Equal(original, train.Append(validationItem).Append(testItem).Order().ToArray());
            Assert.Equal(original.Length - 2, train.Length);
            // Validation folds in the training clicks; test folds in the training clicks plus the validation item.
            Assert.Equal(train, split.Validation.FoldIn.Row(k).ToArray());
            Assert.Equal(train.Append(validationItem).Order().ToArray(), split.Test.FoldIn.Row(k).ToArray());
            Assert.Equal(testItem, loo.TestItem(k));
            Assert.Equal(data.UserIds[source], split.TrainUserIds[k]);
            Assert.Equal(data.UserIds[source], split.Test.UserIds[k]);
            Assert.Equal(data.UserIds[source], split.Validation.UserIds[k]);
        }
    }

    [Fact]
    public void Split_UsersWithFewerThanThreeClicks_AreDroppedAndCounted()
    {
        int[][] rows = [[0, 1, 2], [], [4], [5, 6], [1, 3, 5, 7, 9], [2, 8]];
        var data = LeaveOneOutTestData.FromRows(30, rows, ["a", "b", "c", "d", "e", "f"]);
        var loo = LeaveOneOutSplitter.Split(data, new LeaveOneOutOptions { NegativeCount = 5 });

        Assert.Equal(2, loo.KeptUserCount);
        Assert.Equal(4, loo.DroppedUserCount);
        Assert.Equal([0, 4], loo.SourceUsers);
        Assert.Equal(["a", "e"], loo.Split.TrainUserIds);
        Assert.Equal([1, 3], new[] { loo.Split.Train.RowLength(0), loo.Split.Train.RowLength(1) });
    }

    [Fact]
    public void Split_NoUserWithThreeClicks_Throws()
    {
        var data = LeaveOneOutTestData.FromRows(10, [[0, 1], [2]], ["a", "b"]);
        var error = Assert.Throws<ArgumentException>(() => LeaveOneOutSplitter.Split(data, new LeaveOneOutOptions { NegativeCount = 2 }));
        Assert.Contains("3 clicks", error.Message);
    }

    [Fact]
    public void Split_SameSeed_IdenticalSplit_DifferentSeed_DifferentItems()
    {
        var data = LeaveOneOutTestData.Random(seed: 2, users: 60, items: 100, minClicks: 3, maxClicks: 30);
        var first = LeaveOneOutSplitter.Split(data, SmallNegatives with { Seed = 7 });
        var again = LeaveOneOutSplitter.Split(data, SmallNegatives with { Seed = 7 });
        var other = LeaveOneOutSplitter.Split(data, SmallNegatives with { Seed = 8 });

        Assert.Equal(TestItems(first), TestItems(again));
        Assert.Equal(ValidationItems(first), ValidationItems(again));
        Assert.Equal(first.Split.Train.Columns.ToArray(), again.Split.Train.Columns.ToArray());
        Assert.Equal(first.TestNegatives.ToArrays(), again.TestNegatives.ToArrays());

        // 60 users with >= 3 clicks each: the chance that another seed repeats every choice is negligible.
        Assert.NotEqual(TestItems(first), TestItems(other));
        Assert.NotEqual(ValidationItems(first), ValidationItems(other));
        Assert.NotEqual(first.TestNegatives.ToArrays(), other.TestNegatives.ToArrays());
    }

    [Fact]
    public void Split_AnotherUserAddedOrRemoved_KeepsEachUsersChoices()
    {
        var data = LeaveOneOutTestData.Random(seed: 3, users: 30, items: 90, minClicks: 3, maxClicks: 25);
        // Remove user u4, and add a new user in front, so every remaining user changes row index.
        var rows = Enumerable.Range(0, data.UserCount).Where(u => u != 4).Select(u => LeaveOneOutTestData.Row(data, u)).ToList();
        var ids = Enumerable.Range(0, data.UserCount).Where(u => u != 4).Select(u => data.UserIds[u]).ToList();
        rows.Insert(0, [1, 2, 3, 50, 60]);
        ids.Insert(0, "newcomer");
        var changed = LeaveOneOutTestData.FromRows(data.ItemCount, rows.ToArray(), ids.ToArray());

        var before = LeaveOneOutSplitter.Split(data, SmallNegatives);
        var after = LeaveOneOutSplitter.Split(changed, SmallNegatives);
        int compared = 0;
        for (int k = 0; k < before.KeptUserCount; k++)
        {
            int j = after.Split.TrainUserIds.ToList().IndexOf(before.Split.TrainUserIds[k]);
            if (j < 0) continue;
            Assert.Equal(before.TestItem(k), after.TestItem(j));
            Assert.Equal(before.Split.Validation.HeldOut.Row(k).ToArray(), after.Split.Validation.HeldOut.Row(j).ToArray());
            Assert.Equal(before.TestNegatives.Row(k).ToArray(), after.TestNegatives.Row(j).ToArray());
            compared++;
        }
        Assert.Equal(29, compared);
    }

    [Fact]
    public void Split_ValidationUserCount_SamplesThatManyUsersWithTheirValidationItems()
    {
        var data = LeaveOneOutTestData.Random(seed: 4, users: 50, items: 80, minClicks: 3, maxClicks: 20);
        var all = LeaveOneOutSplitter.Split(data, SmallNegatives);
        var sampled = LeaveOneOutSplitter.Split(data, SmallNegatives with { ValidationUserCount = 10 });

        Assert.Equal(10, sampled.Split.Validation.UserCount);
        Assert.Equal(10, sampled.ValidationUsers.Distinct().Count());
        Assert.Equal(sampled.ValidationUsers.Order(), sampled.ValidationUsers);
        Assert.NotEqual(Enumerable.Range(0, 10), sampled.ValidationUsers);
        for (int v = 0; v < 10; v++)
        {
            int k = sampled.ValidationUsers[v];
            Assert.Equal(all.Split.Validation.HeldOut.Row(k).ToArray(), sampled.Split.Validation.HeldOut.Row(v).ToArray());
            Assert.Equal(sampled.Split.Train.Row(k).ToArray(), sampled.Split.Validation.FoldIn.Row(v).ToArray());
            Assert.Equal(sampled.Split.TrainUserIds[k], sampled.Split.Validation.UserIds[v]);
        }
        // The sample does not touch the test side.
        Assert.Equal(TestItems(all), TestItems(sampled));
        Assert.Throws<ArgumentException>(() => LeaveOneOutSplitter.Split(data, SmallNegatives with { ValidationUserCount = 51 }));
    }

    [Fact]
    public void Split_TestItemChoice_IsRoughlyUniformOverTheUsersClicks()
    {
        // One user with 4 clicks split under 4,000 seeds: each item should be the test item about 1,000 times
        // (binomial sd 27), and never the validation item at the same time.
        var data = LeaveOneOutTestData.FromRows(20, [[2, 5, 11, 17]], ["only"]);
        var counts = new Dictionary<int, int>();
        for (ulong seed = 0; seed < 4000; seed++)
        {
            var loo = LeaveOneOutSplitter.Split(data, new LeaveOneOutOptions { Seed = seed, NegativeCount = 3 });
            int test = loo.TestItem(0);
            Assert.NotEqual(test, loo.Split.Validation.HeldOut.Row(0)[0]);
            counts[test] = counts.GetValueOrDefault(test) + 1;
        }
        Assert.Equal([2, 5, 11, 17], counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.InRange(c, 850, 1150));
    }

    private static int[] TestItems(LeaveOneOutSplit loo) => Enumerable.Range(0, loo.KeptUserCount).Select(loo.TestItem).ToArray();

    private static int[] ValidationItems(LeaveOneOutSplit loo) =>
        Enumerable.Range(0, loo.Split.Validation.UserCount).Select(v => loo.Split.Validation.HeldOut.Row(v)[0]).ToArray();
}
