namespace VaeCfCluster.Model.Data;

/// <summary>
/// Reads citeulike-style user lists (<c>users.dat</c> of citeulike-a/-t): line k (0-based) belongs to user k and
/// reads <c>count item item ...</c>, whitespace-separated, where count must equal the number of item ids that follow.
/// Every listed item is one implicit click (value 1). User ids are the line numbers "0", "1", ...; a user whose
/// line is <c>0</c> keeps its id but has no rows. Blank lines are allowed only at the end of the file.
/// </summary>
public sealed class CiteULikeReader : IRatingReader
{
    /// <inheritdoc />
    public RatingTable Read(string path)
    {
        using var scanner = LineScanner.Open(path);
        var builder = new RatingTableBuilder(scanner.FileLength / 6);
        long firstBlankLine = 0;
        int userCount = 0;
        while (scanner.TryReadLine(out var line))
        {
            if (line.IsWhiteSpace())
            {
                if (firstBlankLine == 0) firstBlankLine = scanner.LineNumber;
                continue;
            }
            if (firstBlankLine != 0)
                throw new DataFormatException(path, firstBlankLine, "count", "blank line: every line must read 'count item item ...' (line k is user k)");
            int user = builder.InternUser(userCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
            userCount++;

            var rest = line;
            var countText = NextToken(ref rest);
            if (!FieldParser.TryParseInt(countText, out int expected) || expected < 0)
                throw new DataFormatException(path, scanner.LineNumber, "count", "not a whole number of items", countText.ToString());
            int listed = 0;
            for (var id = NextToken(ref rest); !id.IsEmpty; id = NextToken(ref rest))
            {
                builder.Add(user, builder.InternItem(id), 1f);
                listed++;
            }
            if (listed != expected)
                throw new DataFormatException(path, scanner.LineNumber, "count",
                    $"the line says {expected} items but lists {listed} item ids", countText.ToString());
        }
        if (userCount == 0) throw new DataFormatException(path, 0, "file", "the file is empty");
        if (builder.Count == 0) throw new DataFormatException(path, 0, "file", "no user lists any item");
        return builder.Build(path);
    }

    private static ReadOnlySpan<char> NextToken(ref ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart();
        // Any whitespace ends an id (a stray '\r' inside a line too), as TrimStart skips any.
        int end = 0;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end])) end++;
        var token = rest[..end];
        rest = rest[end..];
        return token;
    }
}
