using ScottPlot;

namespace VaeCfCluster.Client.Reports.Plots;

/// <summary>
/// Curves on one pair of axes, written as a PNG: Figure 1 of Liang et al. (2018) plots validation NDCG@100 per
/// epoch for "no anneal" (blue, solid), "anneal to β = 1" (green, dashed) and "anneal to β = 0.2" (red, dot-dashed).
/// Series number i gets the i-th colour (blue, green, red, purple, ...) and the i-th pattern (solid, dashed,
/// dot-dashed, dotted, densely dashed), so curves stay apart in colour and in grey-scale print. The legend sits
/// below the axes, where it cannot cover a curve.
/// </summary>
public static class LinePlot
{
    /// <summary>
    /// Renders the curves and writes them to <paramref name="path"/> as a PNG, atomically (a temporary file in the
    /// same folder is renamed over the target); creates the folder if needed. Nothing is written when an argument
    /// is rejected.
    /// </summary>
    /// <param name="path">Output file, e.g. "report/figure1.png"; an existing file is replaced.</param>
    /// <param name="title">Title above the plot; "" for none.</param>
    /// <param name="xLabel">Label of the horizontal axis, e.g. "Epochs"; "" for none.</param>
    /// <param name="yLabel">Label of the vertical axis, e.g. "Validation NDCG@100"; "" for none.</param>
    /// <param name="series">
    /// At least one curve; each has equally long X and Y with at least one point. Points with a NaN coordinate are
    /// skipped (a curve may be all NaN and then shows only in the legend), but at least one point overall must be
    /// finite; infinite values are rejected.
    /// </param>
    /// <param name="width">Image width in pixels, 200..8000.</param>
    /// <param name="height">Image height in pixels, 200..8000.</param>
    /// <exception cref="ArgumentException">An argument is null, empty, mismatched or not finite; names it.</exception>
    /// <exception cref="InvalidOperationException">
    /// No installed font can draw text (every label would be blank); install e.g. fonts-dejavu-core.
    /// </exception>
    public static void Save(
        string path,
        string title,
        string xLabel,
        string yLabel,
        IReadOnlyList<LineSeries> series,
        int width = 800,
        int height = 500)
    {
        PngFile.Validate(path, width, height);
        PlotArguments.RequireText(title, nameof(title), "The title");
        PlotArguments.RequireText(xLabel, nameof(xLabel), "The x-axis label");
        PlotArguments.RequireText(yLabel, nameof(yLabel), "The y-axis label");
        var points = FinitePoints(series);

        using var plot = PlotStyle.CreatePlot(title, xLabel, yLabel);
        for (int s = 0; s < series.Count; s++)
        {
            var (xs, ys) = points[s];
            var color = PlotStyle.LineColor(s);
            var pattern = PlotStyle.Pattern(s);
            if (xs.Length > 0)
            {
                var scatter = plot.Add.Scatter(xs, ys);
                scatter.Color = color;
                scatter.LineWidth = 2.5f;
                scatter.LinePattern = pattern;
                // A lone point has no line to show; give it a marker so it is not invisible.
                scatter.MarkerSize = xs.Length == 1 ? 8 : 0;
            }
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = series[s].Label,
                LineColor = color,
                LineWidth = 2.5f,
                LinePattern = pattern,
            });
        }
        PlotStyle.LegendBelow(plot);
        byte[] png = PlotStyle.RenderPng(plot, width, height);
        PngFile.WriteAtomically(path, png);
    }

    /// <summary>Checks every series and returns, per series, its points with no NaN coordinate.</summary>
    private static (double[] Xs, double[] Ys)[] FinitePoints(IReadOnlyList<LineSeries> series)
    {
        PlotArguments.RequireNonEmpty(series, nameof(series), "The series list");
        var result = new (double[], double[])[series.Count];
        int total = 0;
        for (int s = 0; s < series.Count; s++)
        {
            var one = series[s] ?? throw new ArgumentNullException(nameof(series), $"series[{s}] is null.");
            PlotArguments.RequireText(one.Label, nameof(series), $"series[{s}].Label");
            PlotArguments.RequireNonEmpty(one.X, nameof(series), $"series[{s}].X");
            PlotArguments.RequireNonEmpty(one.Y, nameof(series), $"series[{s}].Y");
            if (one.X.Count != one.Y.Count)
                throw new ArgumentException(
                    $"series[{s}] ('{one.Label}') has {one.X.Count} X values but {one.Y.Count} Y values.", nameof(series));
            var xs = new List<double>(one.X.Count);
            var ys = new List<double>(one.Y.Count);
            for (int i = 0; i < one.X.Count; i++)
            {
                double x = one.X[i], y = one.Y[i];
                PlotArguments.RequireFiniteOrNaN(x, nameof(series), $"series[{s}].X[{i}]");
                PlotArguments.RequireFiniteOrNaN(y, nameof(series), $"series[{s}].Y[{i}]");
                if (double.IsNaN(x) || double.IsNaN(y))
                    continue;
                xs.Add(x);
                ys.Add(y);
            }
            total += xs.Count;
            result[s] = (xs.ToArray(), ys.ToArray());
        }
        if (total == 0)
            throw new ArgumentException("Every point of every series is NaN; there is nothing to plot.", nameof(series));
        return result;
    }
}
