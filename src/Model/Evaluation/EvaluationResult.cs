namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Metrics of one model over a range of held-out users (usually all of them): per metric the per-user values, mean and
/// standard error, plus which users were evaluated and how active each was. Built from a <see cref="UserRangeMetrics"/>
/// (one evaluation, or the <see cref="Combine">combination</see> of shards), so it depends only on the per-user values.
/// </summary>
public sealed class EvaluationResult
{
    private readonly Dictionary<RankingMetric, MetricSummary> _byMetric;

    /// <summary>Summarizes the evaluated (non-skipped) users of <paramref name="range"/>, in user-index order.</summary>
    public EvaluationResult(UserRangeMetrics range)
    {
        ArgumentNullException.ThrowIfNull(range);
        var evaluated = Enumerable.Range(0, range.Count).Where(range.IsEvaluated).ToArray();
        RangeStart = range.Start;
        RangeCount = range.Count;
        Metrics = range.Metrics;
        UserIndices = evaluated.Select(i => range.Start + i).ToArray();
        FoldInCounts = evaluated.Select(i => range.FoldInCounts[i]).ToArray();
        HeldOutCounts = evaluated.Select(i => range.HeldOutCounts[i]).ToArray();
        SkippedUserCount = range.Count - evaluated.Length;
        Summaries = range.Metrics
            .Select((metric, m) => new MetricSummary(metric, evaluated.Select(i => range.Values(m)[i]).ToArray()))
            .ToArray();
        _byMetric = Summaries.ToDictionary(s => s.Metric);
        PerUser = range;
    }

    /// <summary>First user index of the evaluated range.</summary>
    public int RangeStart { get; }

    /// <summary>Number of users in the evaluated range, including skipped ones.</summary>
    public int RangeCount { get; }

    /// <summary>The metrics, in the order of <see cref="Summaries"/>.</summary>
    public IReadOnlyList<RankingMetric> Metrics { get; }

    /// <summary>One summary per metric.</summary>
    public IReadOnlyList<MetricSummary> Summaries { get; }

    /// <summary>Indices (rows of the held-out users) of the evaluated users, ascending; aligned with every summary's values.</summary>
    public IReadOnlyList<int> UserIndices { get; }

    /// <summary>Fold-in clicks of each evaluated user, aligned with <see cref="UserIndices"/>.</summary>
    public IReadOnlyList<int> FoldInCounts { get; }

    /// <summary>Held-out clicks |I_u| of each evaluated user, aligned with <see cref="UserIndices"/>.</summary>
    public IReadOnlyList<int> HeldOutCounts { get; }

    /// <summary>Number of evaluated users (the n of every summary).</summary>
    public int EvaluatedUserCount => UserIndices.Count;

    /// <summary>Number of users of the range skipped because they have no held-out item.</summary>
    public int SkippedUserCount { get; }

    /// <summary>The per-user values this result was built from, skipped users included (as NaN).</summary>
    public UserRangeMetrics PerUser { get; }

    /// <summary>The summary of <paramref name="metric"/>.</summary>
    /// <exception cref="KeyNotFoundException">The metric was not computed.</exception>
    public MetricSummary this[RankingMetric metric] => _byMetric.TryGetValue(metric, out var summary)
        ? summary
        : throw new KeyNotFoundException($"{metric} was not computed; computed: {string.Join(", ", Metrics)}.");

    /// <summary>Whether <paramref name="metric"/> was computed.</summary>
    public bool Contains(RankingMetric metric) => _byMetric.ContainsKey(metric);

    /// <summary>The result of the union of shards given in any order (see <see cref="UserRangeMetrics.Combine"/>).</summary>
    public static EvaluationResult Combine(IEnumerable<UserRangeMetrics> parts) => new(UserRangeMetrics.Combine(parts));

    /// <summary>One line per metric, then the user counts.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine, Summaries.Select(s => s.ToString()))
        + Environment.NewLine + $"users evaluated: {EvaluatedUserCount}, skipped (no held-out item): {SkippedUserCount}";
}
