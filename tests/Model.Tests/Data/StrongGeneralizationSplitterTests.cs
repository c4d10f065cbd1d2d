using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class StrongGeneralizationSplitterTests
{
    /// <summary>Random users with 1 to 30 clicks over 80 items (many have fewer than 5).</summary>
    private static ClickDataSet RandomData(int users = 300, int seed = 3)
    {
        var random = new Random(seed);
        var rows = new List<int>();
        var columns = new List<int>();
        for (int u = 0; u < users; u++)
        {
            int n = random.Next(1, 31);
            for (int k = 0; k < n; k++)
            {
                rows.Add(u);
                columns.Add(random.Next(80) * random.Next(1, 3) % 80);
            }
        }
        var matrix = ClickMatrix.FromPairs(users, 80, rows.ToArray(), columns.ToArray());
        return new ClickDataSet(matrix, [.. Enumerable.Range(0, users).Select(u => $"user{u}")], [.. Enumerable.Range(0, 80).Select(i => $"item{i}")]);
    }

    private static HashSet<string> ItemsOf(ClickDataSet data, string userId) =>
        data.Clicks.Row(data.UserIds.ToList().IndexOf(userId)).ToArray().Select(i => data.ItemIds[i]).ToHashSet();

    private static HashSet<string> ItemsOf(DataSplit split, ClickMatrix matrix, int row) =>
        matrix.Row(row).ToArray().Select(i => split.ItemIds[i]).ToHashSet();

    [Fact]
    public void Split_RandomData_UsersDisjointAndCountsAsConfigured()
    {
        var data = RandomData();

        var split = StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 40 });

        Assert.Equal(300 - 80, split.Train.RowCount);
        var train = split.TrainUserIds.ToHashSet();
        Assert.Empty(train.Intersect(split.Validation.UserIds));
        Assert.Empty(train.Intersect(split.Test.UserIds));
        Assert.Empty(split.Validation.UserIds.Intersect(split.Test.UserIds));
        Assert.InRange(split.Validation.UserCount, 1, 40);
        Assert.InRange(split.Test.UserCount, 1, 40);
    }

    [Fact]
    public void Split_RandomData_ItemsAreTrainItemsInFirstAppearanceOrder()
    {
        var data = RandomData();

        var split = StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 40 });

        var trainUsers = split.TrainUserIds.ToHashSet();
        var expected = new List<string>();
        for (int u = 0; u < data.UserCount; u++)
            if (trainUsers.Contains(data.UserIds[u]))
                foreach (int i in data.Clicks.Row(u))
                    if (!expected.Contains(data.ItemIds[i])) expected.Add(data.ItemIds[i]);
        Assert.Equal(expected, split.ItemIds);
        for (int r = 0; r < split.Train.RowCount; r++)
            Assert.Equal(ItemsOf(data, split.TrainUserIds[r]), ItemsOf(split, split.Train, r));
    }

    [Fact]
    public void Split_RandomData_FoldInAndHeldOutPartitionEachUsersTrainItemClicks()
    {
        var data = RandomData();

        var split = StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 40 });

        var trainItems = split.ItemIds.ToHashSet();
        int withHeldOut = 0, withoutHeldOut = 0;
        foreach (var users in new[] { split.Validation, split.Test })
        {
            for (int r = 0; r < users.UserCount; r++)
            {
                var foldIn = ItemsOf(split, users.FoldIn, r);
                var heldOut = ItemsOf(split, users.HeldOut, r);
                var clicks = ItemsOf(data, users.UserIds[r]);
                clicks.IntersectWith(trainItems);
                Assert.Empty(foldIn.Intersect(heldOut));
                Assert.Equal(clicks, foldIn.Union(heldOut).ToHashSet());
                Assert.Equal(clicks.Count >= 5 ? clicks.Count / 5 : 0, heldOut.Count);
                if (heldOut.Count > 0) withHeldOut++; else withoutHeldOut++;
            }
        }
        Assert.True(withHeldOut > 10 && withoutHeldOut > 0, "the data should exercise both branches");
    }

    [Fact]
    public void Split_SameSeed_IdenticalSplit()
    {
        var data = RandomData();
        var options = new SplitOptions { HeldOutUserCount = 40, Seed = 11 };

        DataAssert.SameSplit(StrongGeneralizationSplitter.Split(data, options), StrongGeneralizationSplitter.Split(data, options));
    }

    [Fact]
    public void Split_DifferentSeed_DifferentUsersAndHeldOutItems()
    {
        var data = RandomData();

        var a = StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 40, Seed = 1 });
        var b = StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 40, Seed = 2 });

        Assert.NotEqual(a.TrainUserIds.Order(), b.TrainUserIds.Order());
        Assert.NotEqual(a.Validation.UserIds.Order(), b.Validation.UserIds.Order());
    }

    [Fact]
    public void Split_DefaultHeldOutCount_IsATenthOfUsers()
    {
        var split = StrongGeneralizationSplitter.Split(RandomData(), new SplitOptions());

        Assert.Equal(300 - 2 * 30, split.Train.RowCount);
    }

    [Fact]
    public void Split_HeldOutUsersWithoutTrainItems_AreDropped()
    {
        // Three users with disjoint items and one training user: the other two share no item with it.
        var matrix = ClickMatrix.FromPairs(3, 3, [0, 1, 2], [0, 1, 2]);
        var data = new ClickDataSet(matrix, ["a", "b", "c"], ["x", "y", "z"]);

        var split = StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 1 });

        Assert.Equal(1, split.Train.RowCount);
        Assert.Equal(1, split.ItemCount);
        Assert.Equal(0, split.Validation.UserCount);
        Assert.Equal(0, split.Test.UserCount);
    }

    [Fact]
    public void Split_ManySeeds_HoldsOutEachItemWithProbabilityOneFifth()
    {
        // Four users with the same ten items; over 3,000 seeds each item of the validation user is held out ~600 times.
        var rows = Enumerable.Range(0, 40).Select(k => k / 10).ToArray();
        var columns = Enumerable.Range(0, 40).Select(k => k % 10).ToArray();
        var data = new ClickDataSet(ClickMatrix.FromPairs(4, 10, rows, columns), ["a", "b", "c", "d"], [.. Enumerable.Range(0, 10).Select(i => $"i{i}")]);
        var counts = new Dictionary<string, int>();
        for (ulong seed = 0; seed < 3000; seed++)
        {
            var split = StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 1, Seed = seed });
            foreach (int i in split.Validation.HeldOut.Row(0)) counts[split.ItemIds[i]] = counts.GetValueOrDefault(split.ItemIds[i]) + 1;
        }

        // Binomial(3000, 0.2): mean 600, sd ~ 22; 100 is over 4.5 sd.
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 500, 700));
    }

    [Fact]
    public void Split_TooManyHeldOutUsers_ThrowsNamingTheSetting()
    {
        var e = Assert.Throws<ArgumentException>(() => StrongGeneralizationSplitter.Split(RandomData(users: 10), new SplitOptions { HeldOutUserCount = 5 }));

        Assert.Contains("HeldOutUserCount", e.Message);
    }
}
