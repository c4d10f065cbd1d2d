using System.Globalization;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// One metric over the evaluated users of an <see cref="EvaluationResult"/>: the per-user values (aligned with
/// <see cref="EvaluationResult.UserIndices"/>, for paired tests and activity breakdowns), their mean and its standard
/// error as the reference code reports it (ddof-0 standard deviation / sqrt(n)).
/// </summary>
public sealed class MetricSummary
{
    private readonly double[] _values;

    /// <summary>Summarizes <paramref name="values"/> (taken, not copied), one per evaluated user in user-index order.</summary>
    public MetricSummary(RankingMetric metric, double[] values)
    {
        Metric = metric;
        _values = values;
        Mean = DescriptiveStatistics.Mean(values);
        StandardError = DescriptiveStatistics.StandardError(values);
    }

    /// <summary>The metric.</summary>
    public RankingMetric Metric { get; }

    /// <summary>Per-user values, aligned with <see cref="EvaluationResult.UserIndices"/>.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>The values as a span, for statistics.</summary>
    public ReadOnlySpan<double> ValueSpan => _values;

    /// <summary>Number of users averaged.</summary>
    public int Count => _values.Length;

    /// <summary>Mean over users; NaN when no user was evaluated.</summary>
    public double Mean { get; }

    /// <summary>Standard error of the mean, np.std(values) / sqrt(n); NaN when no user was evaluated.</summary>
    public double StandardError { get; }

    /// <summary>For example "NDCG@100 = 0.42531 (± 0.00212, n = 10000)".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Metric.Name} = {Mean:F5} (± {StandardError:F5}, n = {Count})");
}
