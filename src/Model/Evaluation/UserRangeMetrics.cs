namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Per-user metric values for the contiguous users [<see cref="Start"/>, <see cref="Start"/> + <see cref="Count"/>) of a
/// <see cref="Data.HeldOutUsers"/> set: what one evaluation worker computes for its shard. Shards
/// <see cref="Combine">combine</see> into the values of their union, placed by user index, so the combined result is
/// identical whatever order the shards arrive in and identical to evaluating the union at once.
/// </summary>
/// <remarks>
/// A user with no held-out item (<see cref="HeldOutCounts"/>[i] == 0) has no metric value: it is skipped, its values are
/// NaN and <see cref="IsEvaluated"/> is false. Every other value is finite and in [0, 1].
/// </remarks>
public sealed class UserRangeMetrics
{
    private readonly int[] _foldInCounts;
    private readonly int[] _heldOutCounts;
    private readonly double[][] _values;

    /// <summary>
    /// Wraps the arrays (not copied). <paramref name="values"/>[m][i] is metric <paramref name="metrics"/>[m] of user
    /// <paramref name="start"/> + i; all arrays have one entry per user of the range.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths disagree, metrics repeat, or a value is NaN exactly when it should not be.</exception>
    public UserRangeMetrics(int start, IReadOnlyList<RankingMetric> metrics, int[] foldInCounts, int[] heldOutCounts, double[][] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Count == 0 || metrics.Distinct().Count() != metrics.Count)
            throw new ArgumentException("At least one metric is needed and none may repeat.", nameof(metrics));
        if (values.Length != metrics.Count)
            throw new ArgumentException("There must be one value array per metric.", nameof(values));
        int count = foldInCounts.Length;
        if (heldOutCounts.Length != count || values.Any(v => v.Length != count))
            throw new ArgumentException("Fold-in counts, held-out counts and every value array must have one entry per user.");
        for (int i = 0; i < count; i++)
        {
            if (foldInCounts[i] < 0 || heldOutCounts[i] < 0)
                throw new ArgumentException($"User {start + i} has a negative click count.");
            foreach (var metricValues in values)
                if (double.IsNaN(metricValues[i]) != (heldOutCounts[i] == 0))
                    throw new ArgumentException($"User {start + i}: values must be NaN exactly when the user has no held-out item.");
        }
        Start = start;
        Metrics = metrics.ToArray();
        _foldInCounts = foldInCounts;
        _heldOutCounts = heldOutCounts;
        _values = values;
    }

    /// <summary>Index of the first user of the range.</summary>
    public int Start { get; }

    /// <summary>Number of users in the range, evaluated or skipped.</summary>
    public int Count => _foldInCounts.Length;

    /// <summary>The metrics, in the order of <see cref="Values(int)"/>.</summary>
    public IReadOnlyList<RankingMetric> Metrics { get; }

    /// <summary>Fold-in clicks per user of the range (the activity level of the paper's Figure 3).</summary>
    public IReadOnlyList<int> FoldInCounts => _foldInCounts;

    /// <summary>Held-out clicks |I_u| per user of the range; 0 marks a skipped user.</summary>
    public IReadOnlyList<int> HeldOutCounts => _heldOutCounts;

    /// <summary>Values of metric <see cref="Metrics"/>[<paramref name="metricIndex"/>] per user of the range (NaN if skipped).</summary>
    public IReadOnlyList<double> Values(int metricIndex) => _values[metricIndex];

    /// <summary>Values of <paramref name="metric"/> per user of the range (NaN if skipped).</summary>
    /// <exception cref="KeyNotFoundException">The metric was not computed.</exception>
    public IReadOnlyList<double> Values(RankingMetric metric) => _values[IndexOf(metric)];

    /// <summary>Whether user <see cref="Start"/> + <paramref name="offset"/> was evaluated (has held-out items).</summary>
    public bool IsEvaluated(int offset) => _heldOutCounts[offset] > 0;

    /// <summary>Number of users of the range that were evaluated.</summary>
    public int EvaluatedCount => _heldOutCounts.Count(n => n > 0);

    /// <summary>Number of users of the range skipped for having no held-out item.</summary>
    public int SkippedCount => Count - EvaluatedCount;

    /// <summary>Position of <paramref name="metric"/> in <see cref="Metrics"/>.</summary>
    /// <exception cref="KeyNotFoundException">The metric was not computed.</exception>
    public int IndexOf(RankingMetric metric)
    {
        for (int m = 0; m < Metrics.Count; m++) if (Metrics[m] == metric) return m;
        throw new KeyNotFoundException($"{metric} was not computed; computed: {string.Join(", ", Metrics)}.");
    }

    /// <summary>
    /// Joins shards given in any order into the values of their union, each user's values placed at its index. The shards
    /// must share the same metrics in the same order and tile one contiguous range without gaps or overlaps.
    /// </summary>
    /// <exception cref="ArgumentException">No shard, different metrics, or a gap or overlap between shards.</exception>
    public static UserRangeMetrics Combine(IEnumerable<UserRangeMetrics> parts)
    {
        var sorted = parts.OrderBy(p => p.Start).ThenBy(p => p.Count).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("There is nothing to combine.", nameof(parts));
        var metrics = sorted[0].Metrics;
        int start = sorted[0].Start, end = start;
        foreach (var part in sorted)
        {
            if (!part.Metrics.SequenceEqual(metrics))
                throw new ArgumentException($"Shard at user {part.Start} has metrics {string.Join(", ", part.Metrics)}, expected {string.Join(", ", metrics)}.");
            if (part.Start != end)
                throw new ArgumentException(part.Start < end
                    ? $"Shards overlap at users [{part.Start}, {end})."
                    : $"Users [{end}, {part.Start}) are missing between shards.");
            end += part.Count;
        }
        int count = end - start;
        var foldIn = new int[count];
        var heldOut = new int[count];
        var values = new double[metrics.Count][];
        for (int m = 0; m < values.Length; m++) values[m] = new double[count];
        foreach (var part in sorted)
        {
            int at = part.Start - start;
            part._foldInCounts.CopyTo(foldIn, at);
            part._heldOutCounts.CopyTo(heldOut, at);
            for (int m = 0; m < values.Length; m++) part._values[m].CopyTo(values[m], at);
        }
        return new UserRangeMetrics(start, metrics, foldIn, heldOut, values);
    }
}
