namespace VaeCfCluster.Model.Data;

/// <summary>
/// Reads a delimited rating file laid out as a <see cref="DelimitedFormat"/> describes (MovieLens
/// <c>u.data</c>, <c>ratings.dat</c>, <c>ratings.csv</c>, the Million Song Dataset taste profile, or any CSV/TSV).
/// Streams the file; each line is split into spans, so 20 million lines take seconds. Blank lines are skipped.
/// </summary>
public sealed class DelimitedRatingReader : IRatingReader
{
    private readonly DelimitedFormat _format;

    /// <summary>A reader for one layout; throws <see cref="ArgumentException"/> when the layout is inconsistent.</summary>
    public DelimitedRatingReader(DelimitedFormat format)
    {
        format.Validate();
        _format = format;
    }

    /// <summary>The layout this reader expects.</summary>
    public DelimitedFormat Format => _format;

    /// <inheritdoc />
    public RatingTable Read(string path)
    {
        using var scanner = LineScanner.Open(path);
        var format = _format;
        string delimiter = format.Delimiter;
        int required = format.RequiredColumnCount;
        int maxColumns = format.MaxColumnCount;
        // One slot more than allowed (or needed) shows whether the line has too many fields.
        int slots = maxColumns == int.MaxValue ? required + 1 : Math.Min(maxColumns, 255) + 1;
        Span<Range> fields = stackalloc Range[slots];
        var names = new List<string>(format.ColumnNames);
        var builder = new RatingTableBuilder(scanner.FileLength / 20);
        bool headerPending = format.HasHeader;
        bool sawAnyLine = false;

        while (scanner.TryReadLine(out var line))
        {
            if (line.IsWhiteSpace()) continue;
            sawAnyLine = true;
            int count = FieldSplitter.Split(line, fields, delimiter);
            // A full set of slots means "more fields than the slots"; count them when a maximum applies.
            if (count == slots && maxColumns != int.MaxValue) count = line.Count(delimiter.AsSpan()) + 1;
            if (count < required || count > maxColumns) throw ColumnCountError(scanner, line, count);
            if (headerPending)
            {
                names.Clear();
                for (int c = 0; c < count; c++) names.Add(line[fields[c]].Trim().ToString());
                headerPending = false;
                continue;
            }
            int user = builder.InternUser(ReadId(scanner, line, fields, format.UserColumn, names));
            int item = builder.InternItem(ReadId(scanner, line, fields, format.ItemColumn, names));
            float value = 1f;
            if (format.RatingColumn is int ratingColumn)
            {
                var text = line[fields[ratingColumn]];
                if (!FieldParser.TryParseRating(text, out value))
                    throw new DataFormatException(path, scanner.LineNumber, ColumnName(names, ratingColumn), "not a number", text.ToString());
            }
            builder.Add(user, item, value);
        }

        if (!sawAnyLine) throw new DataFormatException(path, 0, "file", "the file is empty");
        if (builder.Count == 0) throw new DataFormatException(path, 0, "file", "the file has a header but no rating rows");
        return builder.Build(path);
    }

    private static ReadOnlySpan<char> ReadId(LineScanner scanner, ReadOnlySpan<char> line, Span<Range> fields, int column, List<string> names)
    {
        var id = line[fields[column]].Trim();
        if (id.IsEmpty)
            throw new DataFormatException(scanner.FilePath, scanner.LineNumber, ColumnName(names, column), "empty id", line.ToString());
        return id;
    }

    private DataFormatException ColumnCountError(LineScanner scanner, ReadOnlySpan<char> line, int found)
    {
        int min = _format.RequiredColumnCount, max = _format.MaxColumnCount;
        string expected = min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
        string separator = _format.Delimiter == "\t" ? "tab" : $"'{_format.Delimiter}'";
        return new DataFormatException(scanner.FilePath, scanner.LineNumber, "columns",
            $"expected {expected} {separator}-separated columns, found {found}", line.ToString());
    }

    private static string ColumnName(List<string> names, int column) =>
        column < names.Count && names[column].Length > 0 ? names[column] : $"column {column + 1}";
}
