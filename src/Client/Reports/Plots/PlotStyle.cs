using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace VaeCfCluster.Client.Reports.Plots;

/// <summary>
/// Shared look of the report plots: one sans-serif font, font sizes readable at 800 x 500 pixels, a colour-blind
/// friendly palette (matplotlib's "tab10") and line patterns that still tell curves apart in grey-scale print.
/// </summary>
internal static class PlotStyle
{
    /// <summary>Line colours in the order of Figure 1: blue, green, red, then the rest of tab10.</summary>
    private static readonly Color[] LineColors = Hex(
        "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

    /// <summary>Bar fills: blue and orange first (the strongest contrast for two series), then the rest of tab10.</summary>
    private static readonly Color[] FillColors = Hex(
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

    /// <summary>Solid, dashed, dot-dashed (Figure 1's three curves), dotted, densely dashed; lengths in pixels.</summary>
    private static readonly LinePattern[] Patterns =
    [
        LinePattern.Solid,
        new([10f, 6f], 0f, "Dashed"),
        new([12f, 5f, 2f, 5f], 0f, "DashDot"),
        new([2f, 4f], 0f, "Dotted"),
        new([5f, 3f], 0f, "DenselyDashed"),
    ];

    /// <summary>Fonts tried in order; the first one installed is used for every text element.</summary>
    private static readonly string[] PreferredFonts =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Open Sans"];

    private static readonly Lazy<string?> InstalledFont =
        new(() => ChooseFont(SKFontManager.Default.GetFontFamilies(), DrawsLatinText));

    /// <summary>Colour of line series number <paramref name="index"/> (cycles after ten).</summary>
    public static Color LineColor(int index) => LineColors[index % LineColors.Length];

    /// <summary>Fill of bar series number <paramref name="index"/> (cycles after ten).</summary>
    public static Color FillColor(int index) => FillColors[index % FillColors.Length];

    /// <summary>Dash pattern of line series number <paramref name="index"/> (cycles after five).</summary>
    public static LinePattern Pattern(int index) => Patterns[index % Patterns.Length];

    /// <summary>A new plot with the shared font, font sizes, title and axis labels.</summary>
    /// <exception cref="InvalidOperationException">
    /// No installed font can draw Latin text. Skia then renders every title, label and legend as nothing, silently
    /// (slim container images such as mcr.microsoft.com/dotnet/aspnet ship no fonts), so this fails loudly instead.
    /// </exception>
    public static Plot CreatePlot(string title, string xLabel, string yLabel)
    {
        string font = InstalledFont.Value ?? throw new InvalidOperationException(
            "No installed font can draw text, so the plot's title, axis labels and legend would be blank. Install " +
            "one (Debian/Ubuntu: apt-get install fonts-dejavu-core; Skia reads /usr/share/fonts) and run again.");
        var plot = new Plot();
        plot.Font.Set(font);
        if (title.Length > 0)
            plot.Title(title, size: 18);
        if (xLabel.Length > 0)
            plot.XLabel(xLabel, size: 15);
        if (yLabel.Length > 0)
            plot.YLabel(yLabel, size: 15);
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
            axis.TickLabelStyle.FontSize = 12;
        plot.Legend.FontSize = 13;
        return plot;
    }

    /// <summary>
    /// Puts the legend in its own panel below the data area, items side by side, so it can never cover a curve
    /// or a bar (ScottPlot's in-plot legend sits on a fixed corner whatever the data does there).
    /// </summary>
    public static void LegendBelow(Plot plot)
    {
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
    }

    /// <summary>
    /// Makes the bottom axis tall enough for level category labels of up to <paramref name="lineCount"/> lines
    /// (ScottPlot's own estimate lets the last line touch the image edge once the tick marks are hidden).
    /// </summary>
    public static void ReserveBottomLabelLines(Plot plot, int lineCount)
    {
        using var paint = Paint.NewDisposablePaint();
        float lineHeight = plot.Axes.Bottom.TickLabelStyle.Measure("Ag", paint).LineHeight;
        plot.Axes.Bottom.MinimumSize = lineCount * lineHeight + 14f;
    }

    /// <summary>
    /// A numeric format that writes every value with the same number of decimals, enough for three significant
    /// digits of the largest magnitude: 0.426 and 0.400 ("F3"), 12.3 ("F1"), 1234 ("F0"). NaN values are ignored.
    /// </summary>
    public static string ValueFormat(IEnumerable<double> values)
    {
        double largest = values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        if (largest == 0)
            return "F0";
        int decimals = Math.Clamp(2 - (int)Math.Floor(Math.Log10(largest)), 0, 8);
        return "F" + decimals.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>PNG bytes of the plot at the given size.</summary>
    public static byte[] RenderPng(Plot plot, int width, int height)
    {
        using var image = plot.GetImage(width, height);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }

    private static Color[] Hex(params string[] hex) => hex.Select(h => Color.FromHex(h)).ToArray();

    /// <summary>
    /// The font to use: the first of <see cref="PreferredFonts"/> among <paramref name="families"/> that draws
    /// Latin text, else any family that does (not a symbol font), else null.
    /// </summary>
    internal static string? ChooseFont(IEnumerable<string> families, Func<string, bool> drawsLatinText)
    {
        var installed = families.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (string preferred in PreferredFonts)
        {
            string? match = installed.FirstOrDefault(f => string.Equals(f, preferred, StringComparison.OrdinalIgnoreCase));
            if (match is not null && drawsLatinText(match))
                return match;
        }
        return installed.FirstOrDefault(drawsLatinText);
    }

    /// <summary>Whether the family has glyphs for the letters, digits and signs the plots write.</summary>
    private static bool DrawsLatinText(string family)
    {
        var typeface = SKTypeface.FromFamilyName(family);
        return typeface is not null && typeface.ContainsGlyphs("AaEeNDCG@0123456789.,%[]");
    }
}
