using System.Globalization;

namespace VaeCfCluster.Client.Tests.Experiments;

/// <summary>A CSV file read back for assertions: header names to fields, RFC 4180 quotes understood.</summary>
internal sealed class CsvTable
{
    private readonly string[] _header;

    private CsvTable(string[] header, List<string[]> rows)
    {
        _header = header;
        Rows = rows;
    }

    public IReadOnlyList<string[]> Rows { get; }

    public static CsvTable Read(string path)
    {
        var lines = File.ReadAllLines(path);
        return new CsvTable(Split(lines[0]), lines.Skip(1).Where(l => l.Length > 0).Select(Split).ToList());
    }

    public string Text(string[] row, string column) => row[Array.IndexOf(_header, column) is var i and >= 0 ? i : throw new KeyNotFoundException(column)];

    public double Number(string[] row, string column) => double.Parse(Text(row, column), CultureInfo.InvariantCulture);

    public string[] Row(string column, string value) => Rows.Single(r => Text(r, column) == value);

    private static string[] Split(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
