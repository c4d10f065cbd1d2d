using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Evaluation;

/// <summary>Small held-out user sets for evaluator tests.</summary>
internal static class EvaluationTestData
{
    /// <summary>
    /// Users with 0..maxClicks random distinct items each, split at random into disjoint fold-in and held-out parts.
    /// Every fifth user (0, 5, 10, ...) gets no held-out item and every seventh (0, 7, 14, ...) no fold-in item.
    /// </summary>
    public static HeldOutUsers Random(int seed, int users, int items, int maxClicks)
    {
        var random = new Random(seed);
        var foldRows = new List<int>();
        var foldColumns = new List<int>();
        var heldRows = new List<int>();
        var heldColumns = new List<int>();
        for (int u = 0; u < users; u++)
        {
            var clicked = Enumerable.Range(0, items).OrderBy(_ => random.Next()).Take(random.Next(2, maxClicks + 1)).ToArray();
            foreach (int item in clicked)
            {
                bool heldOut = u % 5 != 0 && (u % 7 == 0 || random.NextDouble() < 0.3);
                (heldOut ? heldRows : foldRows).Add(u);
                (heldOut ? heldColumns : foldColumns).Add(item);
            }
        }
        return new HeldOutUsers(
            ClickMatrix.FromPairs(users, items, foldRows.ToArray(), foldColumns.ToArray()),
            ClickMatrix.FromPairs(users, items, heldRows.ToArray(), heldColumns.ToArray()),
            Enumerable.Range(0, users).Select(u => $"user{u}").ToArray());
    }

    /// <summary>Users from explicit fold-in and held-out item lists.</summary>
    public static HeldOutUsers FromLists(int items, int[][] foldIn, int[][] heldOut) =>
        new(Matrix(items, foldIn), Matrix(items, heldOut), Enumerable.Range(0, foldIn.Length).Select(u => $"user{u}").ToArray());

    private static ClickMatrix Matrix(int items, int[][] rows) =>
        ClickMatrix.FromPairs(rows.Length, items,
            rows.SelectMany((row, u) => row.Select(_ => u)).ToArray(),
            rows.SelectMany(row => row).ToArray());
}
