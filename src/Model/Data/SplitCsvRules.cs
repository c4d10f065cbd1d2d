using System.Globalization;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// The rules a split folder's <c>uid,sid</c> files keep, checked before any matrix is built from them. Both
/// <see cref="SplitCsvLayout.Write"/> and the reference code's <c>numerize</c> number training users first, then
/// validation, then test users, so the three parts hold disjoint, ordered uid ranges; and both hold out at most a
/// fifth of a held-out user's clicks, so every user of a <c>*_te.csv</c> file has rows in the matching
/// <c>*_tr.csv</c>. A row that breaks a rule (a user in two parts) would otherwise silently stretch a part's uid
/// range over other users. Validation and test must each hold out some item, or there is nothing to score. With
/// <c>unique_uid.txt</c> the parts also cover every user it lists.
/// </summary>
internal static class SplitCsvRules
{
    /// <summary>
    /// Throws <see cref="DataFormatException"/> naming the file, line and uid of the first row that breaks a rule.
    /// <paramref name="files"/> are train, validation fold-in, validation held-out, test fold-in, test held-out.
    /// </summary>
    public static void Check(UidSidFile[] files, int? listedUsers)
    {
        Part[] parts = [new("training", [files[0]]), new("validation", [files[1], files[2]]), new("test", [files[3], files[4]])];
        for (int a = 0; a < parts.Length; a++)
            for (int b = a + 1; b < parts.Length; b++)
                RequireBefore(parts[a], parts[b]);
        RequireFoldIn(files[1], files[2]);
        RequireFoldIn(files[3], files[4]);
        RequireHeldOutItem(files[2], "validation", "validation NDCG@100, which picks the best epoch, needs some");
        RequireHeldOutItem(files[4], "test", "the test metrics need some");
        if (listedUsers is int count) RequireEveryListedPart(parts, count);
    }

    /// <summary>
    /// Every uid of <paramref name="earlier"/> is below every uid of <paramref name="later"/>. Where they overlap, the
    /// part with fewer rows in the other's range holds the stray rows, and its first such row is named.
    /// </summary>
    private static void RequireBefore(Part earlier, Part later)
    {
        if (earlier.IsEmpty || later.IsEmpty || earlier.Max < later.Min) return;
        int laterMin = later.Min, earlierMax = earlier.Max;
        long strayInEarlier = earlier.Count(uid => uid >= laterMin), strayInLater = later.Count(uid => uid <= earlierMax);
        if (strayInEarlier < strayInLater)
            throw earlier.RefuseFirst(uid => uid >= laterMin, uid => $"uid {Text(uid)} is a {later.Name} user ({later.Holds})");
        throw later.RefuseFirst(uid => uid <= earlierMax, uid => $"uid {Text(uid)} is a {earlier.Name} user ({earlier.Holds})");
    }

    /// <summary>Every user of a held-out file has fold-in rows: the splitter holds out at most a fifth of a user's clicks.</summary>
    private static void RequireFoldIn(UidSidFile foldIn, UidSidFile heldOut)
    {
        if (heldOut.Count == 0) return;
        int start = Math.Min(foldIn.MinUid, heldOut.MinUid), end = Math.Max(foldIn.MaxUid, heldOut.MaxUid);
        var hasFoldIn = new bool[end - start + 1];
        foreach (int uid in foldIn.Uids) hasFoldIn[uid - start] = true;
        var uids = heldOut.Uids;
        for (int row = 0; row < uids.Length; row++)
        {
            if (hasFoldIn[uids[row] - start]) continue;
            throw new DataFormatException(heldOut.Path, LineOfRow(heldOut, row), "uid",
                $"uid {Text(uids[row])} has no row in {Path.GetFileName(foldIn.Path)}: a held-out user keeps most of its clicks " +
                "there as fold-in (at most a fifth is held out)");
        }
    }

    /// <summary>Some user of a held-out file has a held-out item: without one there is nothing to score a model on.</summary>
    private static void RequireHeldOutItem(UidSidFile heldOut, string part, string why)
    {
        if (heldOut.Count == 0)
            throw new DataFormatException(heldOut.Path, 0, "file", $"no {part} user has a held-out item (the file has no rows): {why}");
    }

    /// <summary>
    /// With <c>unique_uid.txt</c> (written only by <see cref="SplitCsvLayout.Write"/>) each part starts where the one
    /// before it ends and the last ends at the last listed user: a file cut short at a line boundary loses its last
    /// users, which would otherwise load silently as a smaller split. (The reference code's folders, without the
    /// list, may skip a held-out user left with no click.)
    /// </summary>
    private static void RequireEveryListedPart(Part[] parts, int listedUsers)
    {
        Part? previous = null;
        int next = 0;
        foreach (var part in parts)
        {
            if (part.IsEmpty) continue;
            if (previous is not null && part.Min != next) throw Gap(previous, next, part.Min - 1, part.Name);
            previous = part;
            next = part.Max + 1;
        }
        if (next != listedUsers) throw Gap(previous!, next, listedUsers - 1, nextPart: null);
    }

    private static DataFormatException Gap(Part before, int first, int last, string? nextPart)
    {
        string uids = first == last ? $"uid {Text(first)}" : $"uids {Text(first)}..{Text(last)}";
        string problem = nextPart is null
            ? $"the {before.Name} users end at uid {Text(first - 1)} but {SplitCsvLayout.UserIds} lists {uids} too, which no file holds"
            : $"the {before.Name} users end at uid {Text(first - 1)} but the {nextPart} users start at uid {Text(last + 1)}: " +
              $"{SplitCsvLayout.UserIds} lists {uids}, which no file holds";
        return new DataFormatException(before.Files[0].Path, 0, "uid", problem + " (was a file cut short?)");
    }

    /// <summary>The 1-based line of data row <paramref name="row"/> (the file is read again: only a refusal needs it).</summary>
    private static long LineOfRow(UidSidFile file, int row)
    {
        using var scanner = LineScanner.Open(file.Path);
        scanner.TryReadLine(out _);
        int seen = -1;
        while (scanner.TryReadLine(out var line))
            if (!line.IsWhiteSpace() && ++seen == row) return scanner.LineNumber;
        return 0;
    }

    private static string Text(int uid) => uid.ToString(CultureInfo.InvariantCulture);

    /// <summary>The files of one part of the split (training, validation or test users).</summary>
    private sealed record Part(string Name, UidSidFile[] Files)
    {
        public bool IsEmpty => Files.All(f => f.Count == 0);
        public int Min => Files.Min(f => f.MinUid);
        public int Max => Files.Max(f => f.MaxUid);

        /// <summary>Where the part's uids lie, for a message: "train.csv holds uids 0..751".</summary>
        public string Holds => string.Create(CultureInfo.InvariantCulture,
            $"{string.Join(" and ", Files.Select(f => Path.GetFileName(f.Path)))} hold{(Files.Length == 1 ? "s" : "")} uids {Min}..{Max}");

        public long Count(Func<int, bool> match)
        {
            long count = 0;
            foreach (var file in Files)
                foreach (int uid in file.Uids) if (match(uid)) count++;
            return count;
        }

        /// <summary>A refusal naming the first row (files in order) whose uid matches.</summary>
        public DataFormatException RefuseFirst(Func<int, bool> match, Func<int, string> problem)
        {
            foreach (var file in Files)
            {
                var uids = file.Uids;
                for (int row = 0; row < uids.Length; row++)
                    if (match(uids[row])) return new DataFormatException(file.Path, LineOfRow(file, row), "uid", problem(uids[row]));
            }
            throw new InvalidOperationException("No row matches.");
        }
    }
}
