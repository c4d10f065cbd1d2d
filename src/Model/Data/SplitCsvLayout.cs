using System.Globalization;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// The reference code's folder layout (<c>pro_sg</c>): <c>train.csv</c>, <c>validation_tr.csv</c>,
/// <c>validation_te.csv</c>, <c>test_tr.csv</c>, <c>test_te.csv</c> with header <c>uid,sid</c>, and
/// <c>unique_sid.txt</c>; plus our optional <c>unique_uid.txt</c>. Numbering and loading follow the reference's
/// <c>numerize</c>, <c>load_train_data</c> and <c>load_tr_te_data</c>.
/// </summary>
internal static class SplitCsvLayout
{
    public const string Train = "train.csv", ValidationFoldIn = "validation_tr.csv", ValidationHeldOut = "validation_te.csv",
        TestFoldIn = "test_tr.csv", TestHeldOut = "test_te.csv", ItemIds = "unique_sid.txt", UserIds = "unique_uid.txt";

    /// <summary>Every file of the layout, in a fixed order (the cache fingerprints them).</summary>
    public static readonly string[] Files = [Train, ValidationFoldIn, ValidationHeldOut, TestFoldIn, TestHeldOut, ItemIds, UserIds];

    /// <summary>
    /// Stages every file in <paramref name="files"/> (the caller commits them together): uid = train rows, then
    /// validation, then test users (the shuffled order).
    /// </summary>
    public static void Write(StagedFiles files, DataSplit split)
    {
        int trainCount = split.Train.RowCount, validationCount = split.Validation.UserCount;
        WritePairs(files, Train, split.Train, 0);
        WritePairs(files, ValidationFoldIn, split.Validation.FoldIn, trainCount);
        WritePairs(files, ValidationHeldOut, split.Validation.HeldOut, trainCount);
        WritePairs(files, TestFoldIn, split.Test.FoldIn, trainCount + validationCount);
        WritePairs(files, TestHeldOut, split.Test.HeldOut, trainCount + validationCount);
        WriteIds(files, ItemIds, split.ItemIds);
        WriteIds(files, UserIds, [.. split.TrainUserIds, .. split.Validation.UserIds, .. split.Test.UserIds]);
    }

    /// <summary>
    /// Reads a folder written by <see cref="Write"/> or by the reference Python code, refusing files whose users cross
    /// from one part into another (<see cref="SplitCsvRules"/>).
    /// </summary>
    public static DataSplit Read(string folder)
    {
        var itemIds = ReadIds(Path.Combine(folder, ItemIds), required: true)!;
        var userIds = ReadIds(Path.Combine(folder, UserIds), required: false);
        var files = Array.ConvertAll([Train, ValidationFoldIn, ValidationHeldOut, TestFoldIn, TestHeldOut],
            name => UidSidFile.Read(Path.Combine(folder, name), itemIds.Count));
        var train = files[0];
        if (train.Count == 0) throw new DataFormatException(train.Path, 0, "uid", "the training file has no rows");
        RequireUidsInRange(files, userIds, folder);
        SplitCsvRules.Check(files, userIds?.Count);
        // load_train_data: rows 0 .. max uid.
        int trainRows = train.MaxUid + 1;
        var trainMatrix = ClickMatrix.FromPairs(trainRows, itemIds.Count, train.Uids, train.Sids);
        var trainIds = UserIdRange(userIds, 0, trainRows, folder);
        var validation = ReadHeldOut(files[1], files[2], itemIds.Count, userIds, folder);
        var test = ReadHeldOut(files[3], files[4], itemIds.Count, userIds, folder);
        return new DataSplit(itemIds, trainMatrix, trainIds, validation, test);
    }

    /// <summary>
    /// Refuses a uid no user can have before any matrix is sized by it (a corrupted "2000000000" would allocate 8 GB):
    /// below the count of <c>unique_uid.txt</c>, or without it below the number of rows, since the reference numbering
    /// gives each user with clicks the next uid.
    /// </summary>
    private static void RequireUidsInRange(UidSidFile[] files, List<string>? userIds, string folder)
    {
        long bound = userIds?.Count ?? files.Sum(f => (long)f.Count);
        foreach (var file in files)
        {
            if (file.Count == 0 || file.MaxUid < bound) continue;
            string limit = userIds is null ? $"the split's files hold {bound} rows, so uids end at {bound - 1}" : $"{UserIds} lists {bound} users";
            throw new DataFormatException(file.Path, file.MaxUidLine, "uid", $"out of range: {limit}",
                file.MaxUid.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static HeldOutUsers ReadHeldOut(UidSidFile foldIn, UidSidFile heldOut, int itemCount, List<string>? userIds, string folder)
    {
        // load_tr_te_data: rows start_idx .. end_idx over both files, start_idx = the smallest uid of the pair.
        int start = 0, rows = 0;
        if (foldIn.Count + heldOut.Count > 0)
        {
            start = Math.Min(foldIn.Count > 0 ? foldIn.MinUid : int.MaxValue, heldOut.Count > 0 ? heldOut.MinUid : int.MaxValue);
            rows = Math.Max(foldIn.MaxUid, heldOut.MaxUid) - start + 1;
        }
        foldIn.ShiftUids(start);
        heldOut.ShiftUids(start);
        return new HeldOutUsers(
            ClickMatrix.FromPairs(rows, itemCount, foldIn.Uids, foldIn.Sids),
            ClickMatrix.FromPairs(rows, itemCount, heldOut.Uids, heldOut.Sids),
            UserIdRange(userIds, start, rows, folder));
    }

    private static List<string> UserIdRange(List<string>? userIds, int start, int count, string folder)
    {
        if (userIds is not null && (long)start + count > userIds.Count)
            throw new DataFormatException(Path.Combine(folder, UserIds), 0, "uid",
                $"lists {userIds.Count} user ids but the CSV files use uid {start + count - 1}");
        var ids = new List<string>(count);
        for (int k = 0; k < count; k++)
            ids.Add(userIds?[start + k] ?? (start + k).ToString(CultureInfo.InvariantCulture));
        return ids;
    }

    private static void WritePairs(StagedFiles files, string name, ClickMatrix matrix, int firstUid) =>
        files.WriteLines(name, writer =>
        {
            writer.Write("uid,sid\n");
            Span<char> buffer = stackalloc char[24];
            for (int r = 0; r < matrix.RowCount; r++)
            {
                int uid = firstUid + r;
                foreach (int sid in matrix.Row(r))
                {
                    uid.TryFormat(buffer, out int used, provider: CultureInfo.InvariantCulture);
                    buffer[used++] = ',';
                    sid.TryFormat(buffer[used..], out int more, provider: CultureInfo.InvariantCulture);
                    used += more;
                    buffer[used++] = '\n';
                    writer.Write(buffer[..used]);
                }
            }
        });

    private static void WriteIds(StagedFiles files, string name, IReadOnlyList<string> ids) =>
        files.WriteLines(name, writer =>
        {
            foreach (var id in ids) writer.WriteLine(id);
        });

    private static List<string>? ReadIds(string path, bool required)
    {
        if (!File.Exists(path))
            return required ? throw new DataFormatException(path, 0, "file", "the file does not exist") : null;
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var scanner = LineScanner.Open(path);
        long blankLine = 0;
        while (scanner.TryReadLine(out var line))
        {
            var id = line.Trim();
            if (id.IsEmpty) { blankLine = blankLine == 0 ? scanner.LineNumber : blankLine; continue; }
            if (blankLine != 0) throw new DataFormatException(path, blankLine, "id", "blank line: one id per line, line k = index k");
            var text = id.ToString();
            if (!seen.Add(text)) throw new DataFormatException(path, scanner.LineNumber, "id", "duplicate id", text);
            ids.Add(text);
        }
        if (ids.Count == 0) throw new DataFormatException(path, 0, "file", "the file is empty");
        return ids;
    }
}
