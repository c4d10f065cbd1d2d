namespace VaeCfCluster.Client.Reports.Plots;

/// <summary>
/// One category of a <see cref="GroupedBarPlot"/>: one bar per series side by side, as one user-activity quintile in
/// Figure 3 of Liang et al. (2018) holds a Mult-VAE^PR bar and a Mult-DAE bar.
/// </summary>
/// <param name="Category">
/// Tick label under the group; "\n" starts a new line, e.g. "[0%, 20%]\n5-18 clicks".
/// </param>
/// <param name="Means">Bar heights, one per series label, in the same order. NaN draws no bar (not measured).</param>
/// <param name="StandardErrors">
/// Half-length of each bar's error bar (one standard error, s/√n), one per series label. Must be ≥ 0 or NaN
/// (NaN draws the bar without an error bar).
/// </param>
/// <param name="Annotation">
/// Text drawn above the group's tallest bar plus its error bar, e.g. the paired t-test marks "*" (p &lt; 0.05),
/// "**" (p &lt; 0.01), "***" (p &lt; 0.001), or "" for none.
/// </param>
public sealed record BarGroup(
    string Category,
    IReadOnlyList<double> Means,
    IReadOnlyList<double> StandardErrors,
    string Annotation);
