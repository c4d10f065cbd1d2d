namespace VaeCfCluster.Model.Data;

/// <summary>
/// Reads the Netflix Prize <c>combined_data_*.txt</c> files: a line <c>movieId:</c> opens a block of that movie's
/// ratings, one <c>userId,rating,date</c> line each. <see cref="Read"/> takes one file, or a folder whose
/// <c>combined_data_*.txt</c> files are read in name order into one table (users and movies shared across files).
/// </summary>
public sealed class NetflixPrizeReader : IRatingReader
{
    /// <summary>File name pattern of the rating files inside a Netflix Prize folder.</summary>
    public const string FilePattern = "combined_data_*.txt";

    /// <inheritdoc />
    public RatingTable Read(string path)
    {
        if (!Directory.Exists(path)) return ReadFiles([path], path);
        var files = Directory.GetFiles(path, FilePattern);
        if (files.Length == 0) throw new DataFormatException(path, 0, "file", $"the folder holds no {FilePattern} files");
        Array.Sort(files, StringComparer.Ordinal);
        return ReadFiles(files, path);
    }

    /// <summary>Reads several files into one table; <paramref name="source"/> names it in later error messages.</summary>
    public static RatingTable ReadFiles(IReadOnlyList<string> paths, string source)
    {
        long totalBytes = paths.Sum(p => File.Exists(p) ? new FileInfo(p).Length : 0);
        var builder = new RatingTableBuilder(totalBytes / 20);
        foreach (var path in paths) ReadFile(path, builder);
        if (builder.Count == 0) throw new DataFormatException(source, 0, "file", "no rating rows were found");
        return builder.Build(source);
    }

    private static void ReadFile(string path, RatingTableBuilder builder)
    {
        using var scanner = LineScanner.Open(path);
        Span<Range> fields = stackalloc Range[4];
        int movie = -1;
        bool sawAnyLine = false;
        while (scanner.TryReadLine(out var line))
        {
            line = line.Trim();
            if (line.IsEmpty) continue;
            sawAnyLine = true;
            if (line[^1] == ':')
            {
                var movieId = line[..^1].Trim();
                if (movieId.IsEmpty) throw new DataFormatException(path, scanner.LineNumber, "movieId", "empty movie id", line.ToString());
                movie = builder.InternItem(movieId);
                continue;
            }
            if (movie < 0)
                throw new DataFormatException(path, scanner.LineNumber, "movieId", "a rating line comes before the first 'movieId:' line", line.ToString());
            int count = FieldSplitter.Split(line, fields, ",");
            if (count != 3)
                throw new DataFormatException(path, scanner.LineNumber, "columns",
                    $"expected 3 comma-separated columns (userId,rating,date), found {(count == 4 ? line.Count(',') + 1 : count)}", line.ToString());
            var userId = line[fields[0]].Trim();
            if (userId.IsEmpty) throw new DataFormatException(path, scanner.LineNumber, "userId", "empty id", line.ToString());
            var ratingText = line[fields[1]];
            if (!FieldParser.TryParseRating(ratingText, out float rating))
                throw new DataFormatException(path, scanner.LineNumber, "rating", "not a number", ratingText.ToString());
            builder.Add(builder.InternUser(userId), movie, rating);
        }
        if (!sawAnyLine) throw new DataFormatException(path, 0, "file", "the file is empty");
    }
}
