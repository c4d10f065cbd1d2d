using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Support;

/// <summary>
/// A small split with planted structure for fast trainer tests: users belong to one of a few groups, each group
/// prefers its own block of items; every user clicks mostly from its block and a little at random.
/// </summary>
internal static class PlantedSplit
{
    public static DataSplit Create(int trainUsers, int heldOutUsers, int items, int groups, ulong seed)
    {
        int total = trainUsers + 2 * heldOutUsers;
        var rows = new List<int>();
        var cols = new List<int>();
        int block = items / groups;
        for (int u = 0; u < total; u++)
        {
            int g = u % groups;
            for (int i = 0; i < items; i++)
            {
                double p = i / block == g ? 0.45 : 0.03;
                if (CounterRandom.Uniform(seed, 1, 0, (ulong)u, (ulong)i) < p) { rows.Add(u); cols.Add(i); }
            }
        }
        var all = ClickMatrix.FromPairs(total, items, rows.ToArray(), cols.ToArray());
        var itemIds = Enumerable.Range(0, items).Select(i => $"i{i}").ToArray();
        var train = all.SelectRows(Enumerable.Range(0, trainUsers).ToArray());
        return new DataSplit(itemIds, train, Enumerable.Range(0, trainUsers).Select(u => $"u{u}").ToArray(),
            HeldOut(all, trainUsers, heldOutUsers, seed), HeldOut(all, trainUsers + heldOutUsers, heldOutUsers, seed));
    }

    private static HeldOutUsers HeldOut(ClickMatrix all, int start, int count, ulong seed)
    {
        var foldRows = new List<int>(); var foldCols = new List<int>();
        var outRows = new List<int>(); var outCols = new List<int>();
        for (int r = 0; r < count; r++)
        {
            foreach (int item in all.Row(start + r))
            {
                bool heldOut = CounterRandom.Uniform(seed, 2, 0, (ulong)(start + r), (ulong)item) < 0.2;
                (heldOut ? outRows : foldRows).Add(r);
                (heldOut ? outCols : foldCols).Add(item);
            }
        }
        return new HeldOutUsers(
            ClickMatrix.FromPairs(count, all.ColumnCount, foldRows.ToArray(), foldCols.ToArray()),
            ClickMatrix.FromPairs(count, all.ColumnCount, outRows.ToArray(), outCols.ToArray()),
            Enumerable.Range(start, count).Select(u => $"u{u}").ToArray());
    }
}
