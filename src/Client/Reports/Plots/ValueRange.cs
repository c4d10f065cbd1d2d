namespace VaeCfCluster.Client.Reports.Plots;

/// <summary>
/// The value-axis range of a bar chart: it always contains 0 (a bar's length is its value, so the axis must not
/// start at an arbitrary level) and every bar's end plus or minus its standard error, with head room for text
/// drawn past the bars (significance marks, value labels).
/// </summary>
internal readonly record struct ValueRange(double Low, double High)
{
    /// <summary>
    /// Range over the finite means (NaN means are ignored; a NaN standard error counts as 0).
    /// <paramref name="headRoom"/> is the fraction of the data span added beyond the outermost bar end on each side
    /// that has bars (0.15 leaves about one text line at 500 pixels high); the side at 0 gets no padding when no bar
    /// crosses it.
    /// </summary>
    public static ValueRange Of(IEnumerable<(double Mean, double StandardError)> bars, double headRoom)
    {
        double low = 0, high = 0;
        foreach (var (mean, se) in bars)
        {
            if (double.IsNaN(mean))
                continue;
            double error = double.IsNaN(se) ? 0 : se;
            low = Math.Min(low, mean - error);
            high = Math.Max(high, mean + error);
        }
        double span = high - low;
        if (span <= 0)
            return new ValueRange(0, 1);
        return new ValueRange(
            low < 0 ? low - headRoom * span : 0,
            high > 0 ? high + headRoom * span : 0);
    }
}
