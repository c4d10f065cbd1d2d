namespace VaeCfCluster.Client.Reports.Plots;

/// <summary>
/// One curve of a <see cref="LinePlot"/>: the points (X[i], Y[i]) joined in the order given, e.g. validation
/// NDCG@100 (Y) per training epoch (X) for one KL-annealing setting, as in Figure 1 of Liang et al. (2018).
/// </summary>
/// <param name="Label">Legend text, e.g. "anneal to β = 0.2". Must not be null; may be empty (no legend entry text).</param>
/// <param name="X">Horizontal coordinates; same length as <paramref name="Y"/>, at least one point.</param>
/// <param name="Y">
/// Vertical coordinates. A point whose X or Y is NaN (a metric not measured that epoch) is skipped and its
/// neighbours are joined directly; an infinite value is rejected.
/// </param>
public sealed record LineSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y);
