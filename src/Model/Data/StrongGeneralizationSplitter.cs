using System.Runtime.InteropServices;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// The strong-generalization split of Section 4.3, as the reference code (dawenl/vae_cf) builds it:
/// <list type="number">
/// <item>shuffle the users with <see cref="SplitOptions.Seed"/>; the last 2N become validation (N) then test (N)
/// users, the rest train (N = <see cref="SplitOptions.HeldOutUserCount"/>);</item>
/// <item>keep only items clicked by some training user, numbered in order of first appearance when the training
/// users' rows are read in data-set order, items ascending (the reference's <c>pd.unique</c> over the training rows);</item>
/// <item>drop held-out users' clicks on other items; a held-out user left with no click is dropped (the reference
/// writes no row for them);</item>
/// <item>for each validation then test user with n &gt;= <see cref="SplitOptions.MinClicksToHoldOut"/> clicks, hold out
/// floor(0.2 n) of them chosen uniformly without replacement; users with fewer keep everything as fold-in.</item>
/// </list>
/// Training rows follow the shuffled order, so row r of <see cref="DataSplit.Train"/> is uid r of the reference layout.
/// Randomness comes from <see cref="DeterministicRandom"/>, so a seed gives the same split on every runtime.
/// </summary>
public static class StrongGeneralizationSplitter
{
    private const ulong ShuffleStream = 1;
    private const ulong HoldOutStream = 2;

    /// <summary>Splits a data set; throws <see cref="ArgumentException"/> when the options do not fit its size.</summary>
    public static DataSplit Split(ClickDataSet data, SplitOptions options)
    {
        int userCount = data.UserCount;
        options.Validate(userCount);
        int heldOutUsers = options.HeldOutUsersFor(userCount);

        var order = new int[userCount];
        for (int u = 0; u < userCount; u++) order[u] = u;
        DeterministicRandom.ForStream(options.Seed, ShuffleStream).Shuffle(order);
        int trainCount = userCount - 2 * heldOutUsers;
        var trainUsers = order.AsSpan(0, trainCount);

        var isTrain = new bool[userCount];
        foreach (int u in trainUsers) isTrain[u] = true;
        var clicks = data.Clicks;
        var newItem = new int[data.ItemCount];
        Array.Fill(newItem, -1);
        var itemIds = new List<string>();
        for (int u = 0; u < userCount; u++)
        {
            if (!isTrain[u]) continue;
            foreach (int c in clicks.Row(u))
            {
                if (newItem[c] >= 0) continue;
                newItem[c] = itemIds.Count;
                itemIds.Add(data.ItemIds[c]);
            }
        }

        var train = new CsrBuilder(trainCount, clicks.NonZeroCount);
        var trainIds = new List<string>(trainCount);
        foreach (int u in trainUsers)
        {
            foreach (int c in clicks.Row(u)) train.Add(newItem[c]);
            train.EndRow(sort: true);
            trainIds.Add(data.UserIds[u]);
        }

        var random = DeterministicRandom.ForStream(options.Seed, HoldOutStream);
        var validation = HoldOut(data, order.AsSpan(trainCount, heldOutUsers), newItem, itemIds.Count, options, random);
        var test = HoldOut(data, order.AsSpan(trainCount + heldOutUsers), newItem, itemIds.Count, options, random);
        return new DataSplit(itemIds, train.Build(itemIds.Count), trainIds, validation, test);
    }

    private static HeldOutUsers HoldOut(ClickDataSet data, ReadOnlySpan<int> users, int[] newItem, int itemCount,
        SplitOptions options, DeterministicRandom random)
    {
        var foldIn = new CsrBuilder(users.Length, 0);
        var heldOut = new CsrBuilder(users.Length, 0);
        var ids = new List<string>(users.Length);
        var row = new List<int>();
        foreach (int u in users)
        {
            row.Clear();
            foreach (int c in data.Clicks.Row(u)) if (newItem[c] >= 0) row.Add(newItem[c]);
            if (row.Count == 0) continue;
            row.Sort();
            int n = row.Count;
            int take = n >= options.MinClicksToHoldOut ? (int)Math.Floor(options.HeldOutFraction * n) : 0;

            // Partial Fisher-Yates: the first `take` entries become a uniform sample without replacement.
            var items = CollectionsMarshal.AsSpan(row);
            for (int k = 0; k < take; k++)
            {
                int j = k + random.NextInt(n - k);
                (items[k], items[j]) = (items[j], items[k]);
            }
            foreach (int item in items[..take]) heldOut.Add(item);
            foreach (int item in items[take..]) foldIn.Add(item);
            foldIn.EndRow(sort: true);
            heldOut.EndRow(sort: true);
            ids.Add(data.UserIds[u]);
        }
        return new HeldOutUsers(foldIn.Build(itemCount), heldOut.Build(itemCount), ids);
    }
}
