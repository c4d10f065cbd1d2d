using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Evaluation.LeaveOneOut;

/// <summary>Small click data sets for the leave-one-out tests.</summary>
internal static class LeaveOneOutTestData
{
    /// <summary>Users "u0", "u1", ... each clicking between minClicks and maxClicks random distinct items.</summary>
    public static ClickDataSet Random(int seed, int users, int items, int minClicks, int maxClicks)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, users)
            .Select(_ => Enumerable.Range(0, items).OrderBy(_ => random.Next()).Take(random.Next(minClicks, maxClicks + 1)).ToArray())
            .ToArray();
        return FromRows(items, rows, Enumerable.Range(0, users).Select(u => $"u{u}").ToArray());
    }

    /// <summary>A data set from explicit rows (item lists) and user ids.</summary>
    public static ClickDataSet FromRows(int items, int[][] rows, string[] userIds) =>
        new(ClickMatrix.FromPairs(rows.Length, items,
                rows.SelectMany((row, u) => row.Select(_ => u)).ToArray(),
                rows.SelectMany(row => row).ToArray()),
            userIds,
            Enumerable.Range(0, items).Select(i => $"i{i}").ToArray());

    /// <summary>The clicks of one user of a data set, as a sorted array.</summary>
    public static int[] Row(ClickDataSet data, int user) => data.Clicks.Row(user).ToArray();
}
