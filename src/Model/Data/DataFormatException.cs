namespace VaeCfCluster.Model.Data;

/// <summary>
/// Bad input data: names the file, the 1-based line and the field at fault, and quotes the offending text,
/// so a command-line tool can print one clear line (its <see cref="Exception.Message"/>) and exit non-zero.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string filePath, long lineNumber, string field, string problem, string? offendingText = null)
        : base(Format(filePath, lineNumber, field, problem, offendingText))
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Field = field;
    }

    /// <summary>The file that holds the bad input.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number, or 0 when the problem is not on one line (for example an empty file).</summary>
    public long LineNumber { get; }

    /// <summary>The field (column name) at fault, or a short description of what was being read.</summary>
    public string Field { get; }

    private static string Format(string filePath, long lineNumber, string field, string problem, string? offendingText)
    {
        var where = lineNumber > 0 ? $"{filePath}:{lineNumber}" : filePath;
        var text = offendingText is null ? "" : $": \"{Truncate(offendingText)}\"";
        return $"{where}: field '{field}': {problem}{text}";
    }

    private static string Truncate(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
