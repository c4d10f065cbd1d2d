using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace VaeCfCluster.Client.Reports.Plots;

/// <summary>
/// One bar per labelled value with a one-standard-error error bar and the value written at the bar's end, as a
/// PNG: e.g. the test NDCG@100 of every model of Table 2 of Liang et al. (2018), where standard errors are about
/// 0.001-0.002, so bars whose error bars overlap are not clearly different. Vertical by default; category labels
/// too wide for their slot are tilted 30°. Horizontal bars suit many or long labels (they read top to bottom in
/// the order given).
/// </summary>
public static class BarPlot
{
    /// <summary>Share of a bar's slot (1 unit on the category axis) it fills.</summary>
    private const double BarWidth = 0.7;

    /// <summary>
    /// Renders the bars and writes them to <paramref name="path"/> as a PNG, atomically (a temporary file in the
    /// same folder is renamed over the target); creates the folder if needed. Nothing is written when an argument
    /// is rejected. The value axis always includes 0.
    /// </summary>
    /// <param name="path">Output file, e.g. "report/models.png"; an existing file is replaced.</param>
    /// <param name="title">Title above the plot; "" for none.</param>
    /// <param name="yLabel">
    /// Label of the value axis, e.g. "Test NDCG@100"; "" for none. With <paramref name="horizontal"/> it is drawn
    /// under the (horizontal) value axis.
    /// </param>
    /// <param name="bars">
    /// At least one bar: its category label, mean and standard error (≥ 0, or NaN for no error bar). A NaN mean
    /// keeps the label but draws no bar; at least one mean must be finite; infinite values are rejected.
    /// </param>
    /// <param name="width">Image width in pixels, 200..8000.</param>
    /// <param name="height">Image height in pixels, 200..8000.</param>
    /// <param name="horizontal">Draw bars left to right with the labels on the left axis.</param>
    /// <exception cref="ArgumentException">An argument is null, empty or not finite; names it.</exception>
    /// <exception cref="InvalidOperationException">
    /// No installed font can draw text (every label would be blank); install e.g. fonts-dejavu-core.
    /// </exception>
    public static void Save(
        string path,
        string title,
        string yLabel,
        IReadOnlyList<(string Label, double Mean, double StandardError)> bars,
        int width = 800,
        int height = 500,
        bool horizontal = false)
    {
        PngFile.Validate(path, width, height);
        PlotArguments.RequireText(title, nameof(title), "The title");
        PlotArguments.RequireText(yLabel, nameof(yLabel), "The y-axis label");
        ValidateBars(bars);

        using var plot = horizontal
            ? PlotStyle.CreatePlot(title, yLabel, "")
            : PlotStyle.CreatePlot(title, "", yLabel);
        int n = bars.Count;
        // Horizontal charts list the first bar at the top, so it reads like the table it came from.
        double PositionOf(int i) => horizontal ? n - 1 - i : i;

        string valueFormat = PlotStyle.ValueFormat(bars.Select(b => b.Mean));
        var plotted = new List<Bar>();
        var categories = new NumericManual();
        for (int i = 0; i < n; i++)
        {
            var (label, mean, se) = bars[i];
            categories.AddMajor(PositionOf(i), label);
            if (double.IsNaN(mean))
                continue;
            double error = double.IsNaN(se) ? 0 : se;
            plotted.Add(new Bar
            {
                Position = PositionOf(i),
                Value = mean,
                Size = BarWidth,
                Error = error,
                LineWidth = 1.2f, // outline and error bar
                FillColor = PlotStyle.FillColor(0),
                LineColor = Colors.Black,
                Orientation = horizontal ? Orientation.Horizontal : Orientation.Vertical,
            });
            // The value goes just past the bar's far end (error bar included), outward from 0.
            double end = mean >= 0 ? mean + error : mean - error;
            var text = horizontal
                ? plot.Add.Text(mean.ToString(valueFormat, CultureInfo.InvariantCulture), end, PositionOf(i))
                : plot.Add.Text(mean.ToString(valueFormat, CultureInfo.InvariantCulture), PositionOf(i), end);
            text.Alignment = (horizontal, mean >= 0) switch
            {
                (true, true) => Alignment.MiddleLeft,
                (true, false) => Alignment.MiddleRight,
                (false, true) => Alignment.LowerCenter,
                (false, false) => Alignment.UpperCenter,
            };
            // Pixels; y grows downward.
            (text.OffsetX, text.OffsetY) = (horizontal, mean >= 0) switch
            {
                (true, true) => (4f, 0f),
                (true, false) => (-4f, 0f),
                (false, true) => (0f, -3f),
                (false, false) => (0f, 3f),
            };
            text.LabelFontSize = 12;
        }
        plot.Add.Bars(plotted);

        var range = ValueRange.Of(bars.Select(b => (b.Mean, b.StandardError)), headRoom: 0.15);
        var categoryAxis = horizontal ? (IAxis)plot.Axes.Left : plot.Axes.Bottom;
        categoryAxis.TickGenerator = categories;
        categoryAxis.MajorTickStyle.Length = 0;
        if (horizontal)
        {
            plot.Grid.YAxisStyle.IsVisible = false;
            plot.Axes.SetLimits(range.Low, range.High, -0.5, n - 0.5);
        }
        else
        {
            plot.Grid.XAxisStyle.IsVisible = false;
            plot.Axes.SetLimits(-0.5, n - 0.5, range.Low, range.High);
            TiltLabelsWhenCrowded(plot, bars.Select(b => b.Label).ToArray(), width);
        }

        byte[] png = PlotStyle.RenderPng(plot, width, height);
        PngFile.WriteAtomically(path, png);
    }

    /// <summary>
    /// Tilts the category labels by 30° when the widest one (its longest line) is wider than 90 % of a bar's slot;
    /// the slot is estimated as the image width less about 120 pixels of axis and margins, split over the bars.
    /// ScottPlot sizes the axis for level labels, so the axis is made tall enough for the tilted box
    /// (width·sin 30° + height·cos 30°).
    /// </summary>
    private static void TiltLabelsWhenCrowded(Plot plot, string[] labels, int width)
    {
        const double Angle = 30 * Math.PI / 180;
        var style = plot.Axes.Bottom.TickLabelStyle;
        using var paint = Paint.NewDisposablePaint();
        string[] lines = labels.SelectMany(label => label.Split('\n')).ToArray();
        float widest = style.MeasureWidestString(lines, paint).Item2.Length;
        float slot = (width - 120f) / labels.Length;
        int lineCount = labels.Max(label => label.Split('\n').Length);
        if (widest <= 0.9f * slot)
        {
            PlotStyle.ReserveBottomLabelLines(plot, lineCount);
            return;
        }
        float lineHeight = style.Measure("Ag", paint).LineHeight;
        style.Rotation = -30;
        style.Alignment = Alignment.UpperRight;
        plot.Axes.Bottom.MinimumSize =
            (float)(widest * Math.Sin(Angle) + lineCount * lineHeight * Math.Cos(Angle)) + 12f;
        // The first label leans left past the data area by about its width·cos 30° less half a slot.
        float firstWidth = style.MeasureWidestString(labels[0].Split('\n'), paint).Item2.Length;
        plot.Axes.Left.MinimumSize = Math.Max(60f, (float)(firstWidth * Math.Cos(Angle)) - slot / 2 + 8f);
    }

    private static void ValidateBars(IReadOnlyList<(string Label, double Mean, double StandardError)> bars)
    {
        PlotArguments.RequireNonEmpty(bars, nameof(bars), "The bar list");
        bool anyBar = false;
        for (int i = 0; i < bars.Count; i++)
        {
            var (label, mean, se) = bars[i];
            PlotArguments.RequireText(label, nameof(bars), $"bars[{i}].Label");
            PlotArguments.RequireFiniteOrNaN(mean, nameof(bars), $"bars[{i}].Mean");
            PlotArguments.RequireStandardError(se, nameof(bars), $"bars[{i}].StandardError");
            anyBar |= !double.IsNaN(mean);
        }
        if (!anyBar)
            throw new ArgumentException("Every mean is NaN; there is nothing to plot.", nameof(bars));
    }
}
