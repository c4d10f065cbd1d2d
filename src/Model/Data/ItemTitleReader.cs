using System.Text;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// Reads item titles where a data set ships them, keyed by the same external item id the rating readers use:
/// MovieLens 100K <c>u.item</c> (<c>id|title|...</c>, ISO-8859-1), MovieLens 1M/10M <c>movies.dat</c>
/// (<c>id::title::genres</c>, ISO-8859-1) and MovieLens 20M/25M/latest <c>movies.csv</c> (<c>movieId,title,genres</c>
/// with quoted titles, UTF-8).
/// </summary>
public static class ItemTitleReader
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    /// <summary>Titles found beside <paramref name="dataPath"/> (a folder or a file in it), or null when there are none.</summary>
    public static IReadOnlyDictionary<string, string>? TryLoad(string dataPath)
    {
        var folder = Directory.Exists(dataPath) ? dataPath : Path.GetDirectoryName(Path.GetFullPath(dataPath));
        if (folder is null) return null;
        var uItem = Path.Combine(folder, "u.item");
        if (File.Exists(uItem)) return ReadSeparated(uItem, "|", Latin1);
        var moviesDat = Path.Combine(folder, "movies.dat");
        if (File.Exists(moviesDat)) return ReadSeparated(moviesDat, "::", Latin1);
        var moviesCsv = Path.Combine(folder, "movies.csv");
        if (File.Exists(moviesCsv)) return ReadCsv(moviesCsv);
        return null;
    }

    private static Dictionary<string, string> ReadSeparated(string path, string separator, Encoding encoding)
    {
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path, encoding))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var parts = line.Split(separator);
            if (parts.Length < 2) throw new DataFormatException(path, lineNumber, "title", $"expected id{separator}title", line);
            titles[parts[0].Trim()] = parts[1].Trim();
        }
        return titles;
    }

    private static Dictionary<string, string> ReadCsv(string path)
    {
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0) continue;
            int comma = line.IndexOf(',');
            if (comma <= 0) throw new DataFormatException(path, lineNumber, "movieId", "expected movieId,title,genres", line);
            var rest = line[(comma + 1)..];
            string title;
            if (rest.StartsWith('"'))
            {
                var text = new StringBuilder();
                int i = 1;
                for (; i < rest.Length; i++)
                {
                    if (rest[i] == '"' && i + 1 < rest.Length && rest[i + 1] == '"') { text.Append('"'); i++; }
                    else if (rest[i] == '"') break;
                    else text.Append(rest[i]);
                }
                if (i >= rest.Length) throw new DataFormatException(path, lineNumber, "title", "unterminated quoted title", line);
                title = text.ToString();
            }
            else
            {
                int end = rest.LastIndexOf(',');
                title = end < 0 ? rest : rest[..end];
            }
            titles[line[..comma]] = title;
        }
        return titles;
    }
}
