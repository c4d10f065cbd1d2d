using System.Globalization;

namespace VaeCfCluster.Client.Commands;

/// <summary>Parses comma-separated numeric option values ("2,5,10") for grid searches.</summary>
internal static class ValueList
{
    /// <summary>The values of <paramref name="text"/>, or <paramref name="fallback"/> when it is null.</summary>
    public static double[] Doubles(string option, string? text, params double[] fallback) =>
        text is null ? fallback : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0
                ? d : throw new ArgumentException($"{option}: '{v}' is not a non-negative number.")).ToArray();

    /// <summary>The integer values of <paramref name="text"/>, or <paramref name="fallback"/> when it is null.</summary>
    public static int[] Integers(string option, string? text, params int[] fallback) =>
        text is null ? fallback : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i > 0
                ? i : throw new ArgumentException($"{option}: '{v}' is not a positive integer.")).ToArray();
}
