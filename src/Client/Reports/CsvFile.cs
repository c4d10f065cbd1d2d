using System.Globalization;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Client.Reports;

/// <summary>Writes a CSV file (RFC 4180 quoting, invariant numbers in round-trip form) atomically.</summary>
internal static class CsvFile
{
    /// <summary>Writes <paramref name="header"/> and <paramref name="rows"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows) =>
        AtomicFile.WriteLines(path, writer =>
        {
            writer.Write(string.Join(',', header.Select(Quote)) + "\n");
            foreach (var row in rows)
            {
                if (row.Count != header.Count) throw new ArgumentException($"{path}: a row has {row.Count} fields for {header.Count} columns.");
                writer.Write(string.Join(',', row.Select(Format)) + "\n");
            }
        });

    /// <summary>A value as a CSV field: numbers invariant and round-trip, text quoted when needed, null empty.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString() ?? ""),
    };

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
}
