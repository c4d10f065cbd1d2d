using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

/// <summary>A ratings file's users as click histories over a trained model's item ids.</summary>
public sealed class UserHistoriesTests
{
    private static RatingTable Table(params (string User, string Item, float Value)[] rows)
    {
        var userIds = rows.Select(r => r.User).Distinct().ToList();
        var itemIds = rows.Select(r => r.Item).Distinct().ToList();
        return new RatingTable("ratings.csv", rows.Select(r => userIds.IndexOf(r.User)).ToArray(), rows.Select(r => itemIds.IndexOf(r.Item)).ToArray(),
            rows.Select(r => r.Value).ToArray(), rows.Length, userIds, itemIds);
    }

    [Fact]
    public void FromRatings_MapsOntoTheModelsColumnsAndKeepsEveryUser()
    {
        // The model's catalog, in its own column order.
        string[] model = ["c", "a", "b", "d"];
        var table = Table(
            ("u2", "a", 5), ("u2", "x", 5), ("u1", "b", 4), ("u1", "a", 2), ("u2", "a", 4),
            ("u3", "y", 5), ("u3", "x", 5), ("u1", "d", 3.5f), ("u4", "c", 1));

        var histories = UserHistories.FromRatings(table, model, ratingThreshold: 3.5);

        Assert.Equal(["u2", "u1", "u3", "u4"], histories.UserIds);
        Assert.Equal(4, histories.Clicks.ColumnCount);
        Assert.Equal([1], histories.Clicks.Row(0).ToArray());      // u2: a twice (once counted); x unknown
        Assert.Equal([2], histories.Clicks.Row(1).ToArray());      // u1: b; a at 2 and d at 3.5 not above 3.5
        Assert.Empty(histories.Clicks.Row(2).ToArray());           // u3: only unknown items
        Assert.Empty(histories.Clicks.Row(3).ToArray());           // u4: c at 1
        Assert.Equal(9, histories.RowsRead);
        Assert.Equal(3, histories.RowsAtOrBelowThreshold);
        Assert.Equal(3, histories.RowsOnUnknownItems);
        Assert.Equal(["x", "y"], histories.UnknownItemExamples);
        Assert.Equal(2, histories.UsersWithoutKnownClicks);
        var line = histories.Describe("ratings.csv");
        Assert.Contains("4 users, 2 clicks", line);
        Assert.Contains("3 rows on items the model does not know dropped (e.g. x, y)", line);
        Assert.Contains("2 users have no click left", line);
    }

    [Fact]
    public void FromRatings_NoThreshold_KeepsEveryRowOnAKnownItem()
    {
        var table = Table(("u1", "b", 0), ("u1", "a", 1), ("u2", "b", -3));

        var histories = UserHistories.FromRatings(table, ["a", "b"], ratingThreshold: null);

        Assert.Equal([0, 1], histories.Clicks.Row(0).ToArray());
        Assert.Equal([1], histories.Clicks.Row(1).ToArray());
        Assert.Equal(0, histories.RowsAtOrBelowThreshold);
        Assert.Equal(0, histories.UsersWithoutKnownClicks);
        Assert.DoesNotContain("dropped", histories.Describe("f"));
    }
}
