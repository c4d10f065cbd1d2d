using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Networks;

/// <summary>
/// Each item's nearest neighbours by co-occurrence: the <c>k</c> other items clicked together with it by the most
/// training users (ties to the lower item number), which are the targets of the network's item-item term
/// (<see cref="AutoencoderConfig.ItemNeighbours"/>). Deterministic in the clicks alone, so every process that holds
/// the same training data builds the same index. An item with fewer than k co-clicked items is padded with the sink
/// <see cref="Sink"/> (= I), a column the network adds into and discards. Built once per job in
/// O(Σ_u n_u²) time and O(I·k) memory; never an I × I matrix.
/// </summary>
public static class ItemNeighbourhood
{
    /// <summary>The padding target of items with fewer than k neighbours: the item count I (one past the last item).</summary>
    public static long Sink(int itemCount) => itemCount;

    /// <summary>
    /// The [I, k] neighbour index of <paramref name="clicks"/> (users × items), row-major: entry i·k + n is source item
    /// i's n-th target (most co-clicked first), or the sink.
    /// </summary>
    public static long[] Build(ClickMatrix clicks, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int items = clicks.ColumnCount;
        var (itemOffsets, itemUsers) = Transpose(clicks);
        var targets = new long[(long)items * k];
        Array.Fill(targets, Sink(items));
        var counts = new int[items];
        var touched = new List<int>();
        for (int i = 0; i < items; i++)
        {
            for (int p = itemOffsets[i]; p < itemOffsets[i + 1]; p++)
            {
                foreach (int j in clicks.Row(itemUsers[p]))
                {
                    if (j == i) continue;
                    if (counts[j]++ == 0) touched.Add(j);
                }
            }
            touched.Sort((a, b) => counts[a] != counts[b] ? counts[b].CompareTo(counts[a]) : a.CompareTo(b));
            int kept = Math.Min(k, touched.Count);
            for (int n = 0; n < kept; n++) targets[(long)i * k + n] = touched[n];
            foreach (int j in touched) counts[j] = 0;
            touched.Clear();
        }
        return targets;
    }

    /// <summary>Items × users in CSR form: for each item, the rows (users) that clicked it, in ascending order.</summary>
    private static (int[] Offsets, int[] Users) Transpose(ClickMatrix clicks)
    {
        int items = clicks.ColumnCount;
        var offsets = new int[items + 1];
        foreach (int item in clicks.Columns) offsets[item + 1]++;
        for (int i = 0; i < items; i++) offsets[i + 1] += offsets[i];
        var next = offsets[..items];
        var users = new int[clicks.NonZeroCount];
        for (int u = 0; u < clicks.RowCount; u++)
            foreach (int item in clicks.Row(u)) users[next[item]++] = u;
        return (offsets, users);
    }
}
