namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Mean and spread of per-user metric values, summed in the given order so that equal inputs give bit-identical outputs.
/// </summary>
public static class DescriptiveStatistics
{
    /// <summary>Arithmetic mean; NaN for no values.</summary>
    public static double Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) return double.NaN;
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum / values.Length;
    }

    /// <summary>
    /// Standard deviation with <paramref name="ddof"/> delta degrees of freedom: sqrt(sum (x - mean)^2 / (n - ddof)).
    /// ddof 0 is numpy's default (the population formula), ddof 1 the unbiased sample formula. NaN when n &lt;= ddof.
    /// </summary>
    public static double StandardDeviation(ReadOnlySpan<double> values, int ddof)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ddof);
        if (values.Length <= ddof) return double.NaN;
        double mean = Mean(values), squares = 0;
        foreach (double v in values) squares += (v - mean) * (v - mean);
        return Math.Sqrt(squares / (values.Length - ddof));
    }

    /// <summary>
    /// Standard error of the mean as the reference code reports it: <c>np.std(x) / np.sqrt(len(x))</c>, i.e. the
    /// ddof-0 standard deviation over sqrt(n). NaN for no values, 0 for one value.
    /// </summary>
    public static double StandardError(ReadOnlySpan<double> values) =>
        values.IsEmpty ? double.NaN : StandardDeviation(values, ddof: 0) / Math.Sqrt(values.Length);
}
