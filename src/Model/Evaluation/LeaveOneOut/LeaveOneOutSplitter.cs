using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Evaluation.LeaveOneOut;

/// <summary>
/// Builds the NCF leave-one-out split (He et al. 2017, Section 4.1) that Liang et al. 2018 use for Table 3
/// (Section 4.5, the comparison with NCF on ML-1M and Pinterest):
/// <list type="number">
/// <item>users with fewer than <see cref="MinClicks"/> clicks are dropped (one test, one validation and at least one
/// training click are needed);</item>
/// <item>per kept user, one clicked item becomes the TEST item and a different one the VALIDATION item; the rest are
/// the training clicks;</item>
/// <item>per kept user, <see cref="LeaveOneOutOptions.NegativeCount"/> distinct items the user never clicked are
/// drawn uniformly as the test item's competitors.</item>
/// </list>
/// NCF holds out each user's latest interaction. Our data sets carry no timestamps (ml-1m's are lost, see the data
/// README), so the held-out items here are chosen uniformly at random (seeded) instead. A random click need not be
/// as hard to predict as the newest one (no drift in taste is tested), so figures follow the protocol but are not
/// directly comparable, digit for digit, with the paper's Table 3.
/// </summary>
/// <remarks>
/// Every draw for a user comes from <see cref="CounterRandom.Hash"/> of (seed, stream, user key), where the key is a
/// fixed hash (FNV-1a 64) of the user's external id, not the row index: a user's test item, validation item and
/// negatives are the same whichever other users the data set holds or in which order. Only the sample of validation
/// users (<see cref="LeaveOneOutOptions.ValidationUserCount"/>) depends on the whole user list.
/// </remarks>
public static class LeaveOneOutSplitter
{
    /// <summary>Fewest clicks a user needs to be kept: a test item, a validation item and one training click.</summary>
    public const int MinClicks = 3;

    private const ulong HoldOutStream = 0x1001;
    private const ulong NegativeStream = 0x1002;
    private const ulong ValidationSampleStream = 0x1003;

    /// <summary>Splits <paramref name="data"/>; see the type's description.</summary>
    /// <exception cref="ArgumentException">The options are invalid, no user has <see cref="MinClicks"/> clicks,
    /// <see cref="LeaveOneOutOptions.ValidationUserCount"/> exceeds the kept users, or a kept user has fewer than
    /// <see cref="LeaveOneOutOptions.NegativeCount"/> items they never clicked.</exception>
    public static LeaveOneOutSplit Split(ClickDataSet data, LeaveOneOutOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clicks = data.Clicks;
        int items = data.ItemCount, negativeCount = options.NegativeCount;

        var kept = new List<int>(data.UserCount);
        for (int u = 0; u < data.UserCount; u++) if (clicks.RowLength(u) >= MinClicks) kept.Add(u);
        if (kept.Count == 0)
            throw new ArgumentException($"No user has at least {MinClicks} clicks; leave-one-out needs them.", nameof(data));
        int validationCount = options.ValidationUserCount ?? kept.Count;
        if (validationCount > kept.Count)
            throw new ArgumentException($"ValidationUserCount {validationCount} exceeds the {kept.Count} users with at least {MinClicks} clicks.",
                nameof(options));

        var train = new CsrBuilder(kept.Count, clicks.NonZeroCount);
        var testFoldIn = new CsrBuilder(kept.Count, clicks.NonZeroCount);
        var validationItems = new int[kept.Count];
        var testItems = new int[kept.Count];
        var negatives = new int[(long)kept.Count * negativeCount];
        var stamps = new int[items];
        var userIds = new string[kept.Count];
        for (int k = 0; k < kept.Count; k++)
        {
            int u = kept[k];
            var row = clicks.Row(u);
            int n = row.Length;
            if (items - n < negativeCount)
                throw new ArgumentException(
                    $"User {u} ('{data.UserIds[u]}') has clicked {n} of {items} items, leaving fewer than NegativeCount = {negativeCount} to sample as negatives.",
                    nameof(options));
            ulong key = UserKey(data.UserIds[u]);
            var random = new DeterministicRandom(CounterRandom.Hash(options.Seed, HoldOutStream, 0, key, 0));
            int testAt = random.NextInt(n);
            int validationAt = random.NextInt(n - 1);
            if (validationAt >= testAt) validationAt++;
            testItems[k] = row[testAt];
            validationItems[k] = row[validationAt];
            for (int j = 0; j < n; j++)
            {
                if (j == testAt) continue;
                testFoldIn.Add(row[j]);
                if (j != validationAt) train.Add(row[j]);
            }
            train.EndRow(sort: false);
            testFoldIn.EndRow(sort: false);
            userIds[k] = data.UserIds[u];

            var negativeRandom = new DeterministicRandom(CounterRandom.Hash(options.Seed, NegativeStream, 0, key, 0));
            SampleNegatives(row, items, negativeRandom, stamps, k + 1, negatives.AsSpan(k * negativeCount, negativeCount));
        }

        var trainMatrix = train.Build(items);
        var sample = SampleValidationUsers(kept.Count, validationCount, options.Seed);
        var validation = new HeldOutUsers(
            trainMatrix.SelectRows(sample),
            SingleItemRows(sample.Select(k => validationItems[k]).ToArray(), items),
            sample.Select(k => userIds[k]).ToArray());
        var test = new HeldOutUsers(testFoldIn.Build(items), SingleItemRows(testItems, items), userIds);
        var split = new DataSplit(data.ItemIds, trainMatrix, userIds, validation, test);
        return new LeaveOneOutSplit(split, new SampledNegatives(kept.Count, items, negativeCount, negatives), kept.ToArray(),
            sample, data.UserCount - kept.Count, options);
    }

    /// <summary>
    /// Fills <paramref name="into"/> with distinct items uniformly drawn from those not in <paramref name="clicked"/>.
    /// When unclicked items are plentiful (at least twice the count) it draws from the catalogue and rejects clicked or
    /// repeated items (expected draws at most twice the count, no pass over the catalogue); otherwise it lists the
    /// unclicked items and takes a partial Fisher-Yates sample. Both give every subset the same probability.
    /// </summary>
    private static void SampleNegatives(ReadOnlySpan<int> clicked, int items, DeterministicRandom random, int[] stamps, int stamp,
        Span<int> into)
    {
        foreach (int item in clicked) stamps[item] = stamp;
        int unclicked = items - clicked.Length;
        if (unclicked >= 2 * into.Length)
        {
            for (int filled = 0; filled < into.Length;)
            {
                int item = random.NextInt(items);
                if (stamps[item] == stamp) continue;
                stamps[item] = stamp;
                into[filled++] = item;
            }
            return;
        }
        var pool = new int[unclicked];
        int p = 0;
        for (int item = 0; item < items; item++) if (stamps[item] != stamp) pool[p++] = item;
        for (int k = 0; k < into.Length; k++)
        {
            int j = k + random.NextInt(unclicked - k);
            (pool[k], pool[j]) = (pool[j], pool[k]);
            into[k] = pool[k];
        }
    }

    /// <summary>All kept users, or a seeded uniform sample of them in ascending order.</summary>
    private static int[] SampleValidationUsers(int keptCount, int count, ulong seed)
    {
        var order = new int[keptCount];
        for (int k = 0; k < keptCount; k++) order[k] = k;
        if (count == keptCount) return order;
        DeterministicRandom.ForStream(seed, ValidationSampleStream).Shuffle(order);
        var sample = order[..count];
        Array.Sort(sample);
        return sample;
    }

    private static ClickMatrix SingleItemRows(int[] itemPerRow, int items)
    {
        var offsets = new int[itemPerRow.Length + 1];
        for (int r = 0; r < itemPerRow.Length; r++) offsets[r + 1] = r + 1;
        return new ClickMatrix(itemPerRow.Length, items, offsets, itemPerRow);
    }

    /// <summary>FNV-1a 64 over the UTF-16 code units of the id: the same on every runtime, unlike string.GetHashCode.</summary>
    private static ulong UserKey(string userId)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (char c in userId)
        {
            hash = (hash ^ (byte)c) * 0x100000001B3UL;
            hash = (hash ^ (byte)(c >> 8)) * 0x100000001B3UL;
        }
        return hash;
    }
}
