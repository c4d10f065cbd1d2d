using VaeCfCluster.Grains.Abstractions.Evaluation;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// Fans a held-out set out to the job's evaluation grains and combines their per-user metrics with
/// <see cref="UserRangeMetrics.Combine"/>, which gives exactly the single-process evaluator's result.
/// </summary>
internal static class DistributedEvaluation
{
    /// <summary>Evaluates the request's set on all evaluators; null when one is not ready (it must be set up again).</summary>
    public static async Task<EvaluationResult?> EvaluateAsync(IGrainFactory grains, string jobId, int evaluators, EvaluationRequest request)
    {
        var parts = await Task.WhenAll(Enumerable.Range(0, evaluators)
            .Select(e => grains.GetGrain<IEvaluationGrain>(GrainKeys.Evaluator(jobId, e)).EvaluateAsync(request)));
        if (parts.Any(p => p is null)) return null;
        return EvaluationResult.Combine(parts.Select(p => ToRange(p!)));
    }

    /// <summary>The model library's form of an evaluator's answer.</summary>
    public static UserRangeMetrics ToRange(RangeMetricsData data) =>
        new(data.Start, data.Metrics.Select(RankingMetric.Parse).ToArray(), data.FoldInCounts, data.HeldOutCounts, data.Values);

    /// <summary>Contiguous ranges [start, start + count) splitting <paramref name="users"/> over <paramref name="parts"/>.</summary>
    public static (int Start, int Count)[] Ranges(int users, int parts) =>
        Enumerable.Range(0, parts).Select(p => (users * p / parts, users * (p + 1) / parts - users * p / parts)).ToArray();
}
