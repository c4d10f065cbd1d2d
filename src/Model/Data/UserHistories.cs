using System.Globalization;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// Every user of a ratings file as a click history over a trained model's catalog, for recommending to each of them:
/// row u of <see cref="Clicks"/> is user <see cref="UserIds"/>[u]'s clicks, its columns the model's item numbers. Rows
/// at or below a rating threshold are dropped (the clicks a model trained under the same threshold saw as clicks), and
/// so are rows on items the model does not know; users are never dropped, so a user left with no click still has a row
/// (the model's ranking for an empty history). Users keep the file's order of first appearance.
/// </summary>
public sealed record UserHistories(ClickMatrix Clicks, IReadOnlyList<string> UserIds, int RowsRead, int RowsAtOrBelowThreshold,
    int RowsOnUnknownItems, IReadOnlyList<string> UnknownItemExamples, int UsersWithoutKnownClicks)
{
    /// <summary>How many unknown item ids <see cref="UnknownItemExamples"/> keeps.</summary>
    public const int ExampleCount = 5;

    /// <summary>
    /// Maps <paramref name="table"/>'s rows onto <paramref name="modelItemIds"/> (the model's item ids, column order),
    /// keeping rows whose value is above <paramref name="ratingThreshold"/> when one is given. Duplicate clicks count once.
    /// </summary>
    public static UserHistories FromRatings(RatingTable table, IReadOnlyList<string> modelItemIds, double? ratingThreshold)
    {
        var column = new Dictionary<string, int>(modelItemIds.Count, StringComparer.Ordinal);
        for (int i = 0; i < modelItemIds.Count; i++) column.TryAdd(modelItemIds[i], i);
        // The table's own item numbers, mapped once each: -1 for an item the model does not know.
        var tableToModel = new int[table.ItemIds.Count];
        for (int i = 0; i < tableToModel.Length; i++) tableToModel[i] = column.TryGetValue(table.ItemIds[i], out int c) ? c : -1;

        var users = new List<int>(table.Count);
        var items = new List<int>(table.Count);
        var unknown = new HashSet<int>();
        var examples = new List<string>();
        int belowThreshold = 0, unknownRows = 0;
        var tableUsers = table.Users;
        var tableItems = table.Items;
        var values = table.Values;
        for (int k = 0; k < table.Count; k++)
        {
            if (ratingThreshold is double threshold && !(values[k] > threshold))
            {
                belowThreshold++;
                continue;
            }
            int mapped = tableToModel[tableItems[k]];
            if (mapped < 0)
            {
                unknownRows++;
                if (unknown.Add(tableItems[k]) && examples.Count < ExampleCount) examples.Add(table.ItemIds[tableItems[k]]);
                continue;
            }
            users.Add(tableUsers[k]);
            items.Add(mapped);
        }
        var clicks = ClickMatrix.FromPairs(table.UserIds.Count, modelItemIds.Count,
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(users), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(items));
        int empty = 0;
        for (int u = 0; u < clicks.RowCount; u++) if (clicks.RowLength(u) == 0) empty++;
        return new UserHistories(clicks, table.UserIds, table.Count, belowThreshold, unknownRows, examples, empty);
    }

    /// <summary>One line on what was kept and dropped, for the log.</summary>
    public string Describe(string source)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"histories: {UserIds.Count:N0} users, {Clicks.NonZeroCount:N0} clicks on the model's items from {RowsRead:N0} rows of {source}");
        if (RowsAtOrBelowThreshold > 0) text += string.Create(CultureInfo.InvariantCulture, $"; {RowsAtOrBelowThreshold:N0} rows at or below the rating threshold dropped");
        if (RowsOnUnknownItems > 0)
            text += string.Create(CultureInfo.InvariantCulture,
                $"; {RowsOnUnknownItems:N0} rows on items the model does not know dropped (e.g. {string.Join(", ", UnknownItemExamples)})");
        if (UsersWithoutKnownClicks > 0)
            text += string.Create(CultureInfo.InvariantCulture,
                $"; {UsersWithoutKnownClicks:N0} {(UsersWithoutKnownClicks == 1 ? "user has" : "users have")} no click left and get the model's ranking for an empty history");
        return text;
    }
}
