namespace VaeCfCluster.Model.Data;

/// <summary>The (uid, sid) rows of one <c>uid,sid</c> CSV file of the reference split layout.</summary>
internal sealed class UidSidFile
{
    private int[] _uids = new int[1024];
    private int[] _sids = new int[1024];

    private UidSidFile(string path) => Path = path;

    public string Path { get; }
    public int Count { get; private set; }
    public int MinUid { get; private set; } = int.MaxValue;
    public int MaxUid { get; private set; } = -1;
    /// <summary>1-based line of the first row with <see cref="MaxUid"/>.</summary>
    public long MaxUidLine { get; private set; }
    public ReadOnlySpan<int> Uids => _uids.AsSpan(0, Count);
    public ReadOnlySpan<int> Sids => _sids.AsSpan(0, Count);

    /// <summary>Subtracts <paramref name="start"/> from every uid (the reference's start_idx).</summary>
    public void ShiftUids(int start)
    {
        foreach (ref int uid in _uids.AsSpan(0, Count)) uid -= start;
    }

    /// <summary>Reads the file: header <c>uid,sid</c>, then non-negative integers, sid below <paramref name="itemCount"/>.</summary>
    public static UidSidFile Read(string path, int itemCount)
    {
        var file = new UidSidFile(path);
        using var scanner = LineScanner.Open(path);
        if (!scanner.TryReadLine(out var header)) throw new DataFormatException(path, 0, "file", "the file is empty");
        if (!header.Trim().SequenceEqual("uid,sid"))
            throw new DataFormatException(path, 1, "header", "expected the header 'uid,sid'", header.ToString());
        Span<Range> fields = stackalloc Range[3];
        while (scanner.TryReadLine(out var line))
        {
            if (line.IsWhiteSpace()) continue;
            if (FieldSplitter.Split(line, fields, ",") != 2)
                throw new DataFormatException(path, scanner.LineNumber, "columns", "expected 2 comma-separated columns (uid,sid)", line.ToString());
            int uid = ParseIndex(scanner, line[fields[0]], "uid", int.MaxValue);
            int sid = ParseIndex(scanner, line[fields[1]], "sid", itemCount);
            if (uid > file.MaxUid) file.MaxUidLine = scanner.LineNumber;
            file.Add(uid, sid);
        }
        return file;
    }

    private static int ParseIndex(LineScanner scanner, ReadOnlySpan<char> text, string field, int bound)
    {
        if (!FieldParser.TryParseInt(text, out int value) || value < 0)
            throw new DataFormatException(scanner.FilePath, scanner.LineNumber, field, "not a non-negative whole number", text.ToString());
        if (value >= bound)
            throw new DataFormatException(scanner.FilePath, scanner.LineNumber, field,
                $"out of range: unique_sid.txt lists {bound} items", text.ToString());
        return value;
    }

    private void Add(int uid, int sid)
    {
        if (Count == _uids.Length)
        {
            Array.Resize(ref _uids, _uids.Length * 2);
            Array.Resize(ref _sids, _sids.Length * 2);
        }
        _uids[Count] = uid;
        _sids[Count++] = sid;
        MinUid = Math.Min(MinUid, uid);
        MaxUid = Math.Max(MaxUid, uid);
    }
}
