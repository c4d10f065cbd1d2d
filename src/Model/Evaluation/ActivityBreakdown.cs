namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Breakdown of a metric by user activity (Liang et al. 2018, Section 5, Figure 3): the evaluated users are sorted by
/// fold-in size (the number of fold-in clicks, the input the model sees; ties by user index) and cut into
/// <c>groupCount</c> groups of near-equal size, quintiles by default. Group g holds the sorted positions
/// [floor(g n / groups), floor((g + 1) n / groups)), so sizes differ by at most one.
/// </summary>
public static class ActivityBreakdown
{
    /// <summary>Quintiles, as in the paper.</summary>
    public const int DefaultGroupCount = 5;

    /// <summary>The paper's metric for the breakdown.</summary>
    public static RankingMetric DefaultMetric { get; } = RankingMetric.Ndcg(100);

    /// <summary>
    /// Positions into <paramref name="foldInCounts"/> (one entry per evaluated user, aligned with
    /// <paramref name="userIndices"/>) of each group, least active first, each in activity order.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer users than groups, or misaligned inputs.</exception>
    public static int[][] GroupPositions(IReadOnlyList<int> foldInCounts, IReadOnlyList<int> userIndices, int groupCount = DefaultGroupCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupCount, 1);
        int n = foldInCounts.Count;
        if (userIndices.Count != n) throw new ArgumentException("Fold-in counts and user indices must be aligned.");
        if (n < groupCount) throw new ArgumentException($"{n} users cannot fill {groupCount} activity groups.");
        var order = Enumerable.Range(0, n).OrderBy(i => foldInCounts[i]).ThenBy(i => userIndices[i]).ToArray();
        var groups = new int[groupCount][];
        for (int g = 0; g < groupCount; g++)
        {
            int from = (int)((long)g * n / groupCount), to = (int)((long)(g + 1) * n / groupCount);
            groups[g] = order[from..to];
        }
        return groups;
    }

    /// <summary>The activity groups of one model's result for <paramref name="metric"/> (default NDCG@100).</summary>
    /// <exception cref="KeyNotFoundException">The result lacks the metric.</exception>
    /// <exception cref="ArgumentException">Fewer evaluated users than groups.</exception>
    public static IReadOnlyList<ActivityGroup> ForModel(EvaluationResult result, RankingMetric? metric = null, int groupCount = DefaultGroupCount)
    {
        ArgumentNullException.ThrowIfNull(result);
        var values = result[metric ?? DefaultMetric].Values;
        return GroupPositions(result.FoldInCounts, result.UserIndices, groupCount)
            .Select((positions, g) => MakeGroup(g, positions, result, values))
            .ToArray();
    }

    /// <summary>
    /// Compares two models evaluated on the same users: per activity group both means and a paired t-test of
    /// <paramref name="first"/> - <paramref name="second"/>, and an overall paired t-test.
    /// </summary>
    /// <exception cref="ArgumentException">The results cover different users or fold-in sizes, or too few users.</exception>
    /// <exception cref="KeyNotFoundException">A result lacks the metric.</exception>
    public static PairedActivityComparison Compare(EvaluationResult first, EvaluationResult second, RankingMetric? metric = null,
        int groupCount = DefaultGroupCount)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (!first.UserIndices.SequenceEqual(second.UserIndices) || !first.FoldInCounts.SequenceEqual(second.FoldInCounts))
            throw new ArgumentException("A paired comparison needs both models evaluated on the same users with the same fold-in clicks.");
        metric ??= DefaultMetric;
        return Compare(metric, first.FoldInCounts, first.UserIndices, first[metric].Values, second[metric].Values, groupCount);
    }

    /// <summary>
    /// <see cref="Compare(EvaluationResult, EvaluationResult, RankingMetric?, int)"/> on stored per-user values: both
    /// value lists are aligned with <paramref name="foldInCounts"/> and <paramref name="userIndices"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Misaligned inputs or too few users.</exception>
    public static PairedActivityComparison Compare(RankingMetric metric, IReadOnlyList<int> foldInCounts, IReadOnlyList<int> userIndices,
        IReadOnlyList<double> firstValues, IReadOnlyList<double> secondValues, int groupCount = DefaultGroupCount)
    {
        if (firstValues.Count != foldInCounts.Count || secondValues.Count != foldInCounts.Count)
            throw new ArgumentException("A paired comparison needs one value of each model per user.");
        var groups = GroupPositions(foldInCounts, userIndices, groupCount)
            .Select((positions, g) =>
            {
                var a = MakeGroup(g, positions, foldInCounts, userIndices, firstValues);
                var b = MakeGroup(g, positions, foldInCounts, userIndices, secondValues);
                return new PairedActivityGroup(a, b, PairedTTest.Compute(a.ValueSpan, b.ValueSpan));
            })
            .ToArray();
        var overall = PairedTTest.Compute(firstValues.ToArray(), secondValues.ToArray());
        return new PairedActivityComparison(metric, groups, overall);
    }

    private static ActivityGroup MakeGroup(int index, int[] positions, EvaluationResult result, IReadOnlyList<double> values) =>
        MakeGroup(index, positions, result.FoldInCounts, result.UserIndices, values);

    private static ActivityGroup MakeGroup(int index, int[] positions, IReadOnlyList<int> foldInCounts, IReadOnlyList<int> userIndices,
        IReadOnlyList<double> values) =>
        new(index,
            foldInCounts[positions[0]],
            foldInCounts[positions[^1]],
            positions.Select(p => userIndices[p]).ToArray(),
            positions.Select(p => values[p]).ToArray());
}
