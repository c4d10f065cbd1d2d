using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class ClickPreprocessorTests
{
    private static RatingTable Table(params (string User, string Item, float Value)[] rows)
    {
        var users = new List<string>();
        var items = new List<string>();
        int Index(List<string> ids, string id)
        {
            int k = ids.IndexOf(id);
            if (k >= 0) return k;
            ids.Add(id);
            return ids.Count - 1;
        }
        var u = rows.Select(r => Index(users, r.User)).ToArray();
        var i = rows.Select(r => Index(items, r.Item)).ToArray();
        return new RatingTable("table.csv", u, i, rows.Select(r => r.Value).ToArray(), rows.Length, users, items);
    }

    private static HashSet<(string, string)> Clicks(ClickDataSet data)
    {
        var set = new HashSet<(string, string)>();
        for (int u = 0; u < data.UserCount; u++) foreach (int i in data.Clicks.Row(u)) set.Add((data.UserIds[u], data.ItemIds[i]));
        return set;
    }

    [Fact]
    public void Preprocess_Threshold_KeepsOnlyValuesStrictlyAbove()
    {
        var table = Table(("a", "x", 4), ("a", "y", 3.5f), ("a", "z", 5), ("b", "x", 1), ("b", "y", 4));

        var data = ClickPreprocessor.Preprocess(table, new PreprocessingOptions { RatingThreshold = 3.5, MinUserCount = 0 });

        Assert.Equal([("a", "x"), ("a", "z"), ("b", "y")], Clicks(data).Order().ToArray());
        Assert.Equal(["a", "b"], data.UserIds);
        Assert.Equal(["x", "y", "z"], data.ItemIds);
    }

    [Fact]
    public void Preprocess_DuplicatePairs_CountOnce()
    {
        var table = Table(("a", "x", 7), ("a", "x", 2), ("a", "y", 1));

        var data = ClickPreprocessor.Preprocess(table, new PreprocessingOptions { MinUserCount = 2 });

        Assert.Equal(2, data.ClickCount);
        Assert.Equal([0, 1], data.Clicks.Row(0).ToArray());
    }

    [Fact]
    public void Preprocess_ItemFilterRunsBeforeUserFilter_AsTheReferenceDoes()
    {
        // Item q has 2 users; with min item count 2 and min user count 2, user c (q, r) loses r first (1 user),
        // keeps only q and is dropped; then q has one user left but stays, because the item filter already ran.
        var table = Table(("a", "p", 1), ("a", "q", 1), ("b", "p", 1), ("b", "s", 1), ("c", "q", 1), ("c", "r", 1), ("d", "p", 1), ("d", "s", 1));

        var data = ClickPreprocessor.Preprocess(table, new PreprocessingOptions { MinItemCount = 2, MinUserCount = 2 });

        Assert.Equal(["a", "b", "d"], data.UserIds);
        Assert.Equal(["p", "q", "s"], data.ItemIds);
        Assert.Equal([("a", "p"), ("a", "q"), ("b", "p"), ("b", "s"), ("d", "p"), ("d", "s")], Clicks(data).Order().ToArray());
    }

    [Fact]
    public void Preprocess_RandomTable_MatchesNaiveFilterTriplets()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 3000).Select(_ => ($"u{random.Next(200)}", $"i{random.Next(150)}", (float)random.Next(1, 6))).ToArray();
        var options = new PreprocessingOptions { RatingThreshold = 3.5, MinItemCount = 6, MinUserCount = 5 };

        var data = ClickPreprocessor.Preprocess(Table(rows), options);

        // Naive: threshold, distinct pairs, items with >= 6 users, then users with >= 5 of those items.
        var pairs = rows.Where(r => r.Item3 > 3.5).Select(r => (r.Item1, r.Item2)).Distinct().ToList();
        var items = pairs.GroupBy(p => p.Item2).Where(g => g.Count() >= 6).Select(g => g.Key).ToHashSet();
        pairs = pairs.Where(p => items.Contains(p.Item2)).ToList();
        var users = pairs.GroupBy(p => p.Item1).Where(g => g.Count() >= 5).Select(g => g.Key).ToHashSet();
        var expected = pairs.Where(p => users.Contains(p.Item1)).ToHashSet();
        Assert.True(expected.Count > 100, "the case should keep a fair number of clicks");
        Assert.Equal(expected.Order(), Clicks(data).Order());
        Assert.Equal(users.Count, data.UserCount);
        Assert.Equal(expected.Select(p => p.Item2).Distinct().Count(), data.ItemCount);
    }

    [Fact]
    public void Preprocess_ThresholdRemovesEverything_NamesTheThresholdAndSource()
    {
        var table = Table(("a", "x", 1), ("b", "y", 2));

        var e = Assert.Throws<DataFormatException>(() => ClickPreprocessor.Preprocess(table, PreprocessingOptions.ExplicitRatings));

        Assert.Equal("rating > 3.5", e.Field);
        Assert.Contains("table.csv", e.Message);
    }

    [Fact]
    public void Preprocess_ItemFilterRemovesEverything_NamesTheItemFilter()
    {
        var table = Table(("a", "x", 1), ("b", "y", 2));

        var e = Assert.Throws<DataFormatException>(() => ClickPreprocessor.Preprocess(table, PreprocessingOptions.MillionSong));

        Assert.Equal("min item count (200)", e.Field);
    }

    [Fact]
    public void Preprocess_UserFilterRemovesEverything_NamesTheUserFilter()
    {
        var table = Table(("a", "x", 1), ("b", "y", 2));

        var e = Assert.Throws<DataFormatException>(() => ClickPreprocessor.Preprocess(table, PreprocessingOptions.Implicit));

        Assert.Equal("min user count (5)", e.Field);
        Assert.Contains("table.csv", e.Message);
    }
}
