namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Two models compared over the same users, per activity group and overall (the paper's Figure 3, one subplot).
/// </summary>
/// <param name="Metric">The compared metric (NDCG@100 in the paper).</param>
/// <param name="Groups">Activity groups, least active first.</param>
/// <param name="Overall">Paired t-test over all evaluated users.</param>
public sealed record PairedActivityComparison(RankingMetric Metric, IReadOnlyList<PairedActivityGroup> Groups, PairedTTestResult Overall)
{
    /// <summary>A metric line, one line per group, then the overall test.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine, Groups.Select(g => g.ToString()).Prepend(Metric.Name).Append($"overall: {Overall}"));
}
