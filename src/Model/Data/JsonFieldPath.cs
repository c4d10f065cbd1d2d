using System.Globalization;
using System.Text.Json;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// A JSON path as System.Text.Json reports where reading failed (<c>$.Test[0].Name</c>, <c>$.TestPerUser.NDCG@100[3]</c>,
/// <c>$['a.b']</c>), resolved against the type being read and the document: what the field should hold, in words
/// ("one of Figure1, Table2", "a whole number from 0 to 255", "a list"), and what it holds.
/// </summary>
internal sealed class JsonFieldPath
{
    private readonly IReadOnlyList<object> _steps; // a string: a property or dictionary key; an int: a list index

    private JsonFieldPath(string text, IReadOnlyList<object> steps)
    {
        Text = text;
        _steps = steps;
    }

    /// <summary>The path without its root (<c>Test[0].Name</c>); empty for the root.</summary>
    public string Text { get; }

    /// <summary>Whether the path is the root.</summary>
    public bool IsRoot => _steps.Count == 0;

    /// <summary>Parses <paramref name="path"/>; null when it is not in System.Text.Json's form.</summary>
    public static JsonFieldPath? Parse(string? path)
    {
        if (path is null || !path.StartsWith('$')) return null;
        var steps = new List<object>();
        int i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = i + 1;
                while (end < path.Length && path[end] is not ('.' or '[')) end++;
                steps.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                int end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) return null;
                steps.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                    return null;
                steps.Add(index);
                i = end + 1;
            }
            else
            {
                return null;
            }
        }
        return new JsonFieldPath(path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path[1..], steps);
    }

    /// <summary>The .NET type read at this path when reading a <paramref name="root"/>; null when the path leaves the type.</summary>
    public Type? TypeIn(Type root)
    {
        Type? type = root;
        foreach (var step in _steps)
        {
            if (type is null) return null;
            type = step is int ? ElementOf(type) : DictionaryValueOf(type) ?? type.GetProperty((string)step)?.PropertyType;
        }
        return type;
    }

    /// <summary>The value at this path in <paramref name="root"/>, or null when the document has none there.</summary>
    public JsonElement? ValueIn(JsonElement root)
    {
        var element = root;
        foreach (var step in _steps)
        {
            if (step is int index)
            {
                if (element.ValueKind != JsonValueKind.Array || index >= element.GetArrayLength()) return null;
                element = element[index];
            }
            else if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty((string)step, out element))
            {
                return null;
            }
        }
        return element;
    }

    /// <summary>What a value of <paramref name="type"/> is in JSON, in words: "a number", "one of A, B", "a list"....</summary>
    public static string Describe(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Describe(underlying) + " or null";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type));
        switch (Type.GetTypeCode(type))
        {
            case TypeCode.String:
                return "a string";
            case TypeCode.Boolean:
                return "true or false";
            case TypeCode.Double or TypeCode.Single or TypeCode.Decimal:
                return "a number";
            case TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64:
                return string.Create(CultureInfo.InvariantCulture,
                    $"a whole number from {type.GetField("MinValue")!.GetValue(null)} to {type.GetField("MaxValue")!.GetValue(null)}");
        }
        if (DictionaryValueOf(type) is null && ElementOf(type) is not null) return "a list";
        return "an object";
    }

    /// <summary>What <paramref name="value"/> is, in words: a scalar as written, "an object" or "a list".</summary>
    public static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => DataFormatException.Printable(value.GetRawText()),
    };

    private static Type? ElementOf(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        return GenericArgument(type, typeof(IEnumerable<>), 0);
    }

    private static Type? DictionaryValueOf(Type type) =>
        GenericArgument(type, typeof(IReadOnlyDictionary<,>), 1) ?? GenericArgument(type, typeof(IDictionary<,>), 1);

    private static Type? GenericArgument(Type type, Type definition, int position)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition) return type.GetGenericArguments()[position];
        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition)?.GetGenericArguments()[position];
    }
}
