using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// Reads a record a ledger keeps as one JSON file (a finished run), refusing every way the text can fail to be one with
/// a <see cref="DataFormatException"/> of one line: the file, the line where there is one, the field, and the problem in
/// words of its own ("not valid JSON: the file ends early", "holds "Bogus", not one of Figure1, Table2"), never the
/// parser's message, an exception's name or a .NET type's name, and what to do about it.
/// </summary>
public static class JsonRecordFile
{
    /// <summary>Reads <paramref name="path"/> as a <typeparamref name="T"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How the file was written.</param>
    /// <param name="record">What the file holds, as messages name it ("run record"); also the field named for the whole file.</param>
    /// <param name="remedy">What to do about a refused file; ends every message ("delete the file to redo the run").</param>
    /// <exception cref="DataFormatException">The file is empty, not JSON, or a value does not fit its field.</exception>
    public static T Read<T>(string path, JsonSerializerOptions options, string record, string remedy) where T : class
    {
        string text = File.ReadAllText(path);
        if (string.IsNullOrWhiteSpace(text)) throw Refusal(path, 0, record, "the file is empty", remedy);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(text, options);
        }
        catch (JsonException e)
        {
            throw Explain(typeof(T), path, text, e, record, remedy);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw Refusal(path, 0, record, $"the file does not hold a {record}", remedy);
        }
        return value ?? throw Refusal(path, 0, record, $"holds null, not a {record}", remedy);
    }

    /// <summary>A refused field of a record file: <c>PATH[:LINE]: field 'FIELD': PROBLEM; REMEDY.</c></summary>
    public static DataFormatException Refusal(string path, long line, string field, string problem, string remedy) =>
        new(path, line, field, $"{problem}; {remedy}.");

    private static DataFormatException Explain(Type type, string path, string text, JsonException e, string record, string remedy)
    {
        var where = JsonFieldPath.Parse(e.Path);
        string field = string.IsNullOrEmpty(where?.Text) ? record : DataFormatException.Printable(where.Text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException syntax)
        {
            long line = (syntax.LineNumber ?? 0) + 1;
            string problem = EndsEarly(text)
                ? "not valid JSON: the file ends early"
                : $"not valid JSON at byte {(syntax.BytePositionInLine ?? 0) + 1} of the line";
            return Refusal(path, line, field, problem, remedy);
        }
        using (document)
        {
            var root = document.RootElement;
            if (where is null || (where.IsRoot && root.ValueKind == JsonValueKind.Object))
            {
                return MissingRequired(type, root) is { } missing
                    ? Refusal(path, 0, missing, "missing", remedy)
                    : Refusal(path, 0, record, $"the file does not hold a {record}", remedy);
            }
            long valueLine = (e.LineNumber ?? -1) + 1;
            string holds = where.ValueIn(root) is { } value ? $"holds {JsonFieldPath.Show(value)}" : "the value";
            string expected = where.TypeIn(type) is { } fieldType ? $"not {JsonFieldPath.Describe(fieldType)}" : "does not fit the field";
            return Refusal(path, valueLine, field, $"{holds}, {expected}", remedy);
        }
    }

    /// <summary>The first required property of <paramref name="type"/> (C# <c>required</c>) the object lacks, or null.</summary>
    private static string? MissingRequired(Type type, JsonElement root) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.IsDefined(typeof(RequiredMemberAttribute)))
            .Select(p => p.Name)
            .FirstOrDefault(name => !root.TryGetProperty(name, out _));

    /// <summary>Whether the text is valid JSON as far as it goes but stops before its value is complete (a cut file).</summary>
    private static bool EndsEarly(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            return false;
        }
        return true;
    }
}
