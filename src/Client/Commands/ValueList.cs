using System.Globalization;

namespace VaeCfCluster.Client.Commands;

/// <summary>Parses comma-separated numeric option values ("2,5,10") for grid searches.</summary>
internal static class ValueList
{
    /// <summary>The values of <paramref name="text"/>, or <paramref name="fallback"/> when it is null.</summary>
    public static double[] Doubles(string option, string? text, params double[] fallback) =>
        text is null ? fallback : Entries(option, text)
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0
                ? d : throw new ArgumentException($"{option}: '{v}' is not a non-negative number.")).ToArray();

    /// <summary>
    /// Split seeds from <paramref name="text"/> (comma-separated, for <c>--split-seeds</c>), or <paramref name="fallback"/>
    /// alone when it is null; an empty or repeated list is refused.
    /// </summary>
    public static ulong[] SplitSeeds(string? text, ulong fallback)
    {
        if (text is null) return [fallback];
        var seeds = Entries("--split-seeds", text)
            .Select(v => ulong.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
                ? s : throw new ArgumentException($"--split-seeds: '{v}' is not a seed (a non-negative integer).")).ToArray();
        if (seeds.Length == 0) throw new ArgumentException("--split-seeds: give at least one seed.");
        if (seeds.Distinct().Count() != seeds.Length) throw new ArgumentException("--split-seeds: a seed is repeated.");
        return seeds;
    }

    /// <summary>The integer values of <paramref name="text"/>, or <paramref name="fallback"/> when it is null.</summary>
    public static int[] Integers(string option, string? text, params int[] fallback) =>
        text is null ? fallback : Entries(option, text)
            .Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i > 0
                ? i : throw new ArgumentException($"{option}: '{v}' is not a positive integer.")).ToArray();

    /// <summary>The comma-separated entries of <paramref name="text"/>; an empty list or entry ("50,,100") is refused.</summary>
    private static string[] Entries(string option, string text)
    {
        var entries = text.Split(',', StringSplitOptions.TrimEntries);
        if (entries.Any(e => e.Length == 0)) throw new ArgumentException($"--{option.TrimStart('-')}: '{text}' has an empty value; give numbers separated by commas.");
        return entries;
    }
}
