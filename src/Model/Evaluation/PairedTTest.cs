namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// The paired (dependent-samples) t-test, as scipy.stats.ttest_rel: do two models' per-user metric values differ on
/// average? Pairing by user removes the large between-user variance that an unpaired test would count as noise.
/// </summary>
public static class PairedTTest
{
    /// <summary>
    /// Tests first[i] - second[i] against mean 0. Fewer than 2 pairs, or all differences 0, give NaN t and p;
    /// identical non-zero differences give t = ±∞ and p = 0.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs differ in length.</exception>
    public static PairedTTestResult Compute(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        if (first.Length != second.Length)
            throw new ArgumentException($"Paired samples differ in length: {first.Length} and {second.Length}.");
        int n = first.Length;
        var differences = new double[n];
        for (int i = 0; i < n; i++) differences[i] = first[i] - second[i];
        double mean = DescriptiveStatistics.Mean(differences);
        double standardError = DescriptiveStatistics.StandardDeviation(differences, ddof: 1) / Math.Sqrt(n);
        double t = n < 2 ? double.NaN
            : standardError > 0 ? mean / standardError
            : mean == 0 ? double.NaN
            : mean > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        double p = double.IsNaN(t) ? double.NaN : StudentT.TwoSidedPValue(t, n - 1);
        return new PairedTTestResult(n, mean, standardError, t, Math.Max(n - 1, 0), p);
    }
}
