namespace VaeCfCluster.Model.Data;

/// <summary>
/// Saves and loads a <see cref="DataSplit"/> as a folder in the reference code's layout (dawenl/vae_cf <c>pro_sg</c>):
/// <c>train.csv</c>, <c>validation_tr.csv</c>, <c>validation_te.csv</c>, <c>test_tr.csv</c>, <c>test_te.csv</c>
/// (header <c>uid,sid</c>; sid = column in <c>unique_sid.txt</c>; uid = training rows first, then validation, then test
/// users, as the reference <c>numerize</c> does), <c>unique_sid.txt</c> (item ids, one per line), our
/// <c>unique_uid.txt</c> (user ids in uid order) and a checksummed binary cache <c>split.bin</c>.
/// <para>
/// Loading follows the reference loaders: training rows are uid 0 .. max uid; a fold-in/held-out pair spans uid
/// start .. end with start the smallest uid in the pair, so folders written by the Python code (no
/// <c>unique_uid.txt</c>: user ids are then the uid numbers; no <c>split.bin</c>) load to the same matrices.
/// </para>
/// <para>
/// The cache is used when its checksum verifies and the text files still have the size and write time it recorded.
/// A missing, stale or corrupt cache is ignored and rewritten from the CSV files (silently skipped when the folder is
/// read-only).
/// </para>
/// <para>
/// A folder is replaced as a whole: every text file is first written in full under a temporary name, so a failure
/// there leaves the older split untouched; then <c>split.incomplete</c> is written, the files are renamed into place,
/// and the marker is removed; the cache is written last. A folder that still holds the marker (a write cut off while
/// renaming, or one under way) is refused, since its files may mix two splits. Other files in the folder are left alone.
/// </para>
/// </summary>
public static class SplitStore
{
    /// <summary>Name of the binary cache file in a split folder.</summary>
    public const string CacheFileName = SplitCache.FileName;

    /// <summary>Name of the file that marks a split folder whose files are being replaced.</summary>
    public const string IncompleteMarkerName = "split.incomplete";

    /// <summary>
    /// Writes <paramref name="split"/> into <paramref name="folder"/> (created if needed), replacing an older split.
    /// The CSV layout cannot hold a user without clicks at the end of the training rows or at either end of a
    /// fold-in/held-out pair (the reference loaders infer row ranges from the uids present), and loading refuses a
    /// held-out user with held-out clicks but no fold-in click, and validation or test users without a held-out item,
    /// so such splits are refused with
    /// <see cref="ArgumentException"/>; splits from <see cref="StrongGeneralizationSplitter"/> never have one.
    /// </summary>
    public static void Save(DataSplit split, string folder)
    {
        RequireRepresentable(split);
        Directory.CreateDirectory(folder);
        var cachePath = Path.Combine(folder, CacheFileName);
        var marker = Path.Combine(folder, IncompleteMarkerName);
        using (var files = new StagedFiles(folder))
        {
            SplitCsvLayout.Write(files, split);
            AtomicFile.WriteAllText(marker, "vaecf is replacing this split's files; if this file stays, that was cut off: " +
                                            "the files may mix two splits, so write the split again.\n");
            if (File.Exists(cachePath)) File.Delete(cachePath);
            files.Commit();
        }
        File.Delete(marker);
        SplitCache.Write(cachePath, split, SplitCache.Fingerprint(folder));
    }

    /// <summary>
    /// Loads the split in <paramref name="folder"/>. With <paramref name="useCache"/> false the CSV files are parsed
    /// and <c>split.bin</c> is neither read nor written. Throws <see cref="DataFormatException"/> on a missing folder,
    /// a missing required file or malformed content.
    /// </summary>
    public static DataSplit Load(string folder, bool useCache = true)
    {
        if (!Directory.Exists(folder)) throw new DataFormatException(folder, 0, "folder", "the split folder does not exist");
        RequireComplete(folder);
        var cachePath = Path.Combine(folder, CacheFileName);
        var fingerprint = SplitCache.Fingerprint(folder);
        if (useCache && SplitCache.TryRead(cachePath, fingerprint) is { } cached) return cached;

        var split = SplitCsvLayout.Read(folder);
        // Files replaced while they were read (a write under way) could mix two splits.
        RequireComplete(folder);
        if (!SplitCache.Fingerprint(folder).AsSpan().SequenceEqual(fingerprint))
            throw new DataFormatException(folder, 0, "folder", "the split's files changed while they were read (written again meanwhile?): load it again");
        if (useCache)
        {
            try { SplitCache.Write(cachePath, split, fingerprint); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* read-only folder: no cache */ }
        }
        return split;
    }

    private static void RequireComplete(string folder)
    {
        var marker = Path.Combine(folder, IncompleteMarkerName);
        if (File.Exists(marker))
            throw new DataFormatException(marker, 0, "file", "the split's files are being replaced, or a write that replaced them " +
                                                             "was cut off and they may mix two splits: wait for it, or write the split again");
    }

    private static void RequireRepresentable(DataSplit split)
    {
        if (split.Train.RowCount > 0 && split.Train.RowLength(split.Train.RowCount - 1) == 0)
            throw new ArgumentException("The last training user has no clicks; the uid,sid layout cannot represent it.", nameof(split));
        foreach (var (users, name) in new[] { (split.Validation, "validation"), (split.Test, "test") })
        {
            int last = users.UserCount - 1;
            if (last >= 0 && (users.FoldIn.RowLength(0) + users.HeldOut.RowLength(0) == 0 || users.FoldIn.RowLength(last) + users.HeldOut.RowLength(last) == 0))
                throw new ArgumentException($"The first or last {name} user has no clicks; the uid,sid layout cannot represent it.", nameof(split));
            if (users.HeldOut.NonZeroCount == 0)
                throw new ArgumentException($"No {name} user has a held-out item; a split folder refuses such a split (nothing to score).", nameof(split));
            for (int r = 0; r < users.UserCount; r++)
                if (users.FoldIn.RowLength(r) == 0 && users.HeldOut.RowLength(r) > 0)
                    throw new ArgumentException($"The {name} user {users.UserIds[r]} has held-out clicks but no fold-in click; a split folder " +
                                                "refuses such a user (the splitter holds out at most a fifth of a user's clicks).", nameof(split));
        }
    }
}
