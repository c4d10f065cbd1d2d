using ScottPlot;
using ScottPlot.TickGenerators;

namespace VaeCfCluster.Client.Reports.Plots;

/// <summary>
/// Bars in groups with one-standard-error error bars, written as a PNG: Figure 3 of Liang et al. (2018) shows, per
/// user-activity quintile of the fold-in clicks, the NDCG@100 of Mult-VAE^PR and of Mult-DAE side by side, with a
/// paired t-test mark ("*" α = 0.05, "**" α = 0.01, "***" α = 0.001) above each quintile. Series number i gets the
/// i-th fill (blue, orange, green, ...); the legend sits below the axes, where it cannot cover a bar.
/// </summary>
public static class GroupedBarPlot
{
    /// <summary>Share of a group's slot (1 unit on the category axis) filled by its bars; the rest is the gap.</summary>
    private const double GroupWidth = 0.8;

    /// <summary>
    /// Renders the groups and writes them to <paramref name="path"/> as a PNG, atomically (a temporary file in the
    /// same folder is renamed over the target); creates the folder if needed. Nothing is written when an argument
    /// is rejected. The value axis starts at 0 and leaves room above the tallest bar for the annotations.
    /// </summary>
    /// <param name="path">Output file, e.g. "report/figure3.png"; an existing file is replaced.</param>
    /// <param name="title">Title above the plot; "" for none.</param>
    /// <param name="yLabel">Label of the value axis, e.g. "NDCG@100"; "" for none.</param>
    /// <param name="seriesLabels">Legend text of each bar series, e.g. ["Mult-VAE^PR", "Mult-DAE"]; at least one.</param>
    /// <param name="groups">
    /// At least one group; each has exactly one mean and one standard error per series label. NaN means are
    /// skipped (no bar), but at least one mean must be finite; infinite values and negative errors are rejected.
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
        string yLabel,
        IReadOnlyList<string> seriesLabels,
        IReadOnlyList<BarGroup> groups,
        int width = 800,
        int height = 500)
    {
        PngFile.Validate(path, width, height);
        PlotArguments.RequireText(title, nameof(title), "The title");
        PlotArguments.RequireText(yLabel, nameof(yLabel), "The y-axis label");
        PlotArguments.RequireNonEmpty(seriesLabels, nameof(seriesLabels), "The series label list");
        for (int s = 0; s < seriesLabels.Count; s++)
            PlotArguments.RequireText(seriesLabels[s], nameof(seriesLabels), $"seriesLabels[{s}]");
        ValidateGroups(groups, seriesLabels.Count);

        using var plot = PlotStyle.CreatePlot(title, "", yLabel);
        int n = seriesLabels.Count;
        double barWidth = GroupWidth / n;
        var bars = new List<Bar>();
        for (int g = 0; g < groups.Count; g++)
        {
            double top = double.NaN;
            for (int s = 0; s < n; s++)
            {
                double mean = groups[g].Means[s], se = groups[g].StandardErrors[s];
                if (double.IsNaN(mean))
                    continue;
                bars.Add(new Bar
                {
                    Position = g - GroupWidth / 2 + barWidth * (s + 0.5),
                    Value = mean,
                    Size = barWidth,
                    Error = double.IsNaN(se) ? 0 : se,
                    LineWidth = 1.2f, // outline and error bar
                    FillColor = PlotStyle.FillColor(s),
                    LineColor = Colors.Black,
                });
                double end = Math.Max(mean, 0) + (double.IsNaN(se) ? 0 : se);
                top = double.IsNaN(top) ? end : Math.Max(top, end);
            }
            if (groups[g].Annotation.Length > 0 && !double.IsNaN(top))
            {
                var mark = plot.Add.Text(groups[g].Annotation, g, top);
                mark.Alignment = Alignment.LowerCenter;
                mark.OffsetY = -3; // pixels; negative is up
                mark.LabelFontSize = 16;
                mark.LabelBold = true;
            }
        }
        plot.Add.Bars(bars);

        var categories = new NumericManual();
        for (int g = 0; g < groups.Count; g++)
            categories.AddMajor(g, groups[g].Category);
        plot.Axes.Bottom.TickGenerator = categories;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Grid.XAxisStyle.IsVisible = false;
        PlotStyle.ReserveBottomLabelLines(plot, groups.Max(group => group.Category.Split('\n').Length));

        var range = ValueRange.Of(
            groups.SelectMany(group => group.Means.Zip(group.StandardErrors)),
            headRoom: groups.Any(group => group.Annotation.Length > 0) ? 0.15 : 0.05);
        plot.Axes.SetLimits(-0.5, groups.Count - 0.5, range.Low, range.High);

        for (int s = 0; s < n; s++)
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = seriesLabels[s],
                FillColor = PlotStyle.FillColor(s),
                OutlineColor = Colors.Black,
            });
        PlotStyle.LegendBelow(plot);

        byte[] png = PlotStyle.RenderPng(plot, width, height);
        PngFile.WriteAtomically(path, png);
    }

    private static void ValidateGroups(IReadOnlyList<BarGroup> groups, int seriesCount)
    {
        PlotArguments.RequireNonEmpty(groups, nameof(groups), "The group list");
        bool anyBar = false;
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g] ?? throw new ArgumentNullException(nameof(groups), $"groups[{g}] is null.");
            PlotArguments.RequireText(group.Category, nameof(groups), $"groups[{g}].Category");
            PlotArguments.RequireText(group.Annotation, nameof(groups), $"groups[{g}].Annotation");
            if (group.Means is null || group.Means.Count != seriesCount)
                throw new ArgumentException(
                    $"groups[{g}] ('{group.Category}') has {group.Means?.Count ?? 0} means; expected one per series " +
                    $"label ({seriesCount}).", nameof(groups));
            if (group.StandardErrors is null || group.StandardErrors.Count != seriesCount)
                throw new ArgumentException(
                    $"groups[{g}] ('{group.Category}') has {group.StandardErrors?.Count ?? 0} standard errors; " +
                    $"expected one per series label ({seriesCount}).", nameof(groups));
            for (int s = 0; s < seriesCount; s++)
            {
                PlotArguments.RequireFiniteOrNaN(group.Means[s], nameof(groups), $"groups[{g}].Means[{s}]");
                PlotArguments.RequireStandardError(group.StandardErrors[s], nameof(groups), $"groups[{g}].StandardErrors[{s}]");
                anyBar |= !double.IsNaN(group.Means[s]);
            }
        }
        if (!anyBar)
            throw new ArgumentException("Every mean of every group is NaN; there is nothing to plot.", nameof(groups));
    }
}
