using System.Globalization;
using System.Text;

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
        var text = offendingText is null ? "" : $": \"{Printable(offendingText)}\"";
        return $"{where}: field '{field}': {problem}{text}";
    }

    /// <summary>The most characters of offending text a message quotes (longer text is cut, and ends in "...").</summary>
    private const int MaxQuoted = 120;

    /// <summary>
    /// <paramref name="text"/> as a message quotes it: characters a terminal would act on or not show (C0 and C1
    /// controls, DEL, format characters such as bidirectional overrides, line and paragraph separators, lone
    /// surrogates) written as <c>\t</c>, <c>\r</c>, <c>\n</c>, <c>\xNN</c> or <c>\uNNNN</c>, so binary garbage never
    /// reaches a terminal as control bytes and the message stays one line; at most <see cref="MaxQuoted"/> characters,
    /// cut between characters (never inside an escape or a surrogate pair).
    /// </summary>
    internal static string Printable(string text)
    {
        var b = new StringBuilder();
        int cut = 0; // the longest prefix of b, at a character boundary, that leaves room for "..."
        for (int i = 0; i < text.Length; i++)
        {
            if (b.Length <= MaxQuoted - 3) cut = b.Length;
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                b.Append(c).Append(text[++i]);
            else if (IsUnsafe(c))
                b.Append(Escape(c));
            else
                b.Append(c);
            if (b.Length > MaxQuoted) return b.ToString(0, cut) + "...";
        }
        return b.ToString();
    }

    private static string Escape(char c) => c switch
    {
        '\t' => "\\t",
        '\r' => "\\r",
        '\n' => "\\n",
        _ when c <= 0xFF => "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture),
        _ => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
    };

    private static bool IsUnsafe(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;
}
