using System.Globalization;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// Turns a <see cref="RatingTable"/> into a <see cref="ClickDataSet"/> as Section 4.1 of the paper and the reference
/// code's <c>filter_triplets</c> do: threshold, binarize, item filter, then user filter (see
/// <see cref="PreprocessingOptions"/>). Duplicate (user, item) rows count once. Surviving users and items keep their
/// relative order of first appearance and are renumbered densely.
/// </summary>
public static class ClickPreprocessor
{
    /// <summary>
    /// Applies the filters. Throws <see cref="DataFormatException"/> naming the table's source and the filter
    /// when a filter leaves nothing.
    /// </summary>
    public static ClickDataSet Preprocess(RatingTable table, PreprocessingOptions options)
    {
        options.Validate();
        int userCount = table.UserIds.Count, itemCount = table.ItemIds.Count;

        // 1-2. Threshold and binarize: every kept row is one click, duplicates merged by FromPairs.
        ClickMatrix clicks;
        if (options.RatingThreshold is double threshold)
        {
            var (users, items) = RowsAbove(table, threshold);
            if (users.Length == 0)
                throw new DataFormatException(table.Source, 0, $"rating > {Format(threshold)}",
                    $"no rating is above the threshold ({table.Count:N0} rows read)");
            clicks = ClickMatrix.FromPairs(userCount, itemCount, users, items);
        }
        else
        {
            clicks = ClickMatrix.FromPairs(userCount, itemCount, table.Users, table.Items);
        }

        // 3. Items with at least MinItemCount distinct users.
        var itemUsers = clicks.ColumnCounts();
        int minItem = options.MinItemCount;
        if (minItem > 0 && !itemUsers.AsSpan().ContainsAnyExceptInRange(0, minItem - 1))
            throw new DataFormatException(table.Source, 0, $"min item count ({minItem})",
                $"no item has at least {minItem} users ({CountPositive(itemUsers):N0} items before this filter)");

        // 4. Users with at least MinUserCount of the remaining items (and at least one).
        int minUser = Math.Max(1, options.MinUserCount);
        var keepUser = new bool[userCount];
        var keptItemUsers = new int[itemCount];
        int keptUsers = 0, keptClicks = 0;
        for (int u = 0; u < userCount; u++)
        {
            int length = 0;
            foreach (int c in clicks.Row(u)) if (itemUsers[c] >= minItem) length++;
            if (length < minUser) continue;
            keepUser[u] = true;
            keptUsers++;
            keptClicks += length;
            foreach (int c in clicks.Row(u)) if (itemUsers[c] >= minItem) keptItemUsers[c]++;
        }
        if (keptUsers == 0)
            throw new DataFormatException(table.Source, 0, $"min user count ({options.MinUserCount})",
                $"no user has at least {minUser} items left ({clicks.RowCount:N0} users before this filter)");

        // 5. Dense renumbering; item order is preserved, so rows stay sorted.
        var newItem = new int[itemCount];
        var itemIds = new List<string>();
        for (int i = 0; i < itemCount; i++)
        {
            newItem[i] = keptItemUsers[i] > 0 ? itemIds.Count : -1;
            if (keptItemUsers[i] > 0) itemIds.Add(table.ItemIds[i]);
        }
        var offsets = new int[keptUsers + 1];
        var columns = new int[keptClicks];
        var userIds = new List<string>(keptUsers);
        int row = 0, write = 0;
        for (int u = 0; u < userCount; u++)
        {
            if (!keepUser[u]) continue;
            foreach (int c in clicks.Row(u)) if (newItem[c] >= 0) columns[write++] = newItem[c];
            offsets[++row] = write;
            userIds.Add(table.UserIds[u]);
        }
        return new ClickDataSet(new ClickMatrix(keptUsers, itemIds.Count, offsets, columns), userIds, itemIds);
    }

    private static (int[] Users, int[] Items) RowsAbove(RatingTable table, double threshold)
    {
        var values = table.Values;
        int kept = 0;
        foreach (float v in values) if (v > threshold) kept++;
        var users = new int[kept];
        var items = new int[kept];
        var sourceUsers = table.Users;
        var sourceItems = table.Items;
        int write = 0;
        for (int k = 0; k < values.Length; k++)
        {
            if (!(values[k] > threshold)) continue;
            users[write] = sourceUsers[k];
            items[write++] = sourceItems[k];
        }
        return (users, items);
    }

    private static int CountPositive(int[] counts)
    {
        int n = 0;
        foreach (int c in counts) if (c > 0) n++;
        return n;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
