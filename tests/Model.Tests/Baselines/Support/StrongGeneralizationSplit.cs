using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Baselines.Support;

/// <summary>
/// A small strong-generalization split of MovieLens 100K for the baseline tests, built here on purpose
/// (independent of the project's data pipeline): ratings ≥ 4 become clicks, users with at least 5 clicks are
/// kept, <see cref="HeldOutUserCount"/> seeded-random users are held out, items are those clicked by a training
/// user, and each held-out user's clicks are split at random into 80% fold-in and 20% held-out (at least one).
/// </summary>
internal sealed record StrongGeneralizationSplit(ClickMatrix Train, HeldOutUsers Test)
{
    internal const int HeldOutUserCount = 150;

    private static readonly Lazy<StrongGeneralizationSplit> s_movieLens100k =
        new(() => FromMovieLens100k(DataLocator.DataSet("ml-100k"), seed: 20180423));

    /// <summary>The split of ml-100k with the tests' fixed seed, built once per test run.</summary>
    internal static StrongGeneralizationSplit MovieLens100k => s_movieLens100k.Value;

    /// <summary>Reads <c>u.data</c> (user, item, rating, timestamp; tab-separated) and splits it.</summary>
    internal static StrongGeneralizationSplit FromMovieLens100k(string folder, int seed)
    {
        var clicks = new Dictionary<int, List<int>>();
        string path = Path.Combine(folder, "u.data");
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split('\t');
            if (fields.Length != 4) throw new DataFormatException(path, lineNumber, "line", "expected 4 tab-separated fields", line);
            int user = ParseInt(path, lineNumber, "user", fields[0]);
            int item = ParseInt(path, lineNumber, "item", fields[1]);
            int rating = ParseInt(path, lineNumber, "rating", fields[2]);
            if (rating < 4) continue;
            if (!clicks.TryGetValue(user, out var list)) clicks[user] = list = new List<int>();
            list.Add(item);
        }
        var users = clicks.Keys.Where(u => clicks[u].Count >= 5).OrderBy(u => u).ToArray();
        var random = new Random(seed);
        random.Shuffle(users);
        var heldOutUsers = users.Take(HeldOutUserCount).ToArray();
        var trainUsers = users.Skip(HeldOutUserCount).ToArray();

        var itemIndex = new Dictionary<int, int>();
        foreach (var item in trainUsers.SelectMany(u => clicks[u]).Distinct().Order()) itemIndex[item] = itemIndex.Count;
        var train = Build(trainUsers.Select(u => clicks[u]).ToList(), itemIndex);

        var foldIn = new List<List<int>>();
        var heldOut = new List<List<int>>();
        foreach (var user in heldOutUsers)
        {
            var known = clicks[user].Where(itemIndex.ContainsKey).OrderBy(i => i).ToArray();
            random.Shuffle(known);
            int test = Math.Max(1, (int)(0.2 * known.Length));
            heldOut.Add(known.Take(test).ToList());
            foldIn.Add(known.Skip(test).ToList());
        }
        var ids = heldOutUsers.Select(u => u.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new StrongGeneralizationSplit(train, new HeldOutUsers(Build(foldIn, itemIndex), Build(heldOut, itemIndex), ids));
    }

    private static ClickMatrix Build(List<List<int>> rows, Dictionary<int, int> itemIndex)
    {
        var r = new List<int>();
        var c = new List<int>();
        for (int u = 0; u < rows.Count; u++)
            foreach (var item in rows[u]) { r.Add(u); c.Add(itemIndex[item]); }
        return ClickMatrix.FromPairs(rows.Count, itemIndex.Count, r.ToArray(), c.ToArray());
    }

    private static int ParseInt(string path, long line, string field, string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new DataFormatException(path, line, field, "not an integer", text);
}
