namespace VaeCfCluster.Grains.Abstractions.Evaluation;

/// <summary>
/// Scores a contiguous range of held-out users (key "jobId/index"): given a model version it fetches the parameters
/// from the shards when they changed and returns per-user metrics, which the job combines into exactly what the
/// single-process evaluator gives.
/// </summary>
public interface IEvaluationGrain : Workers.INeighbourIndexHolder
{
    /// <summary>Sets the evaluator up for a job generation (the same setup workers get).</summary>
    Task PrepareAsync(Workers.WorkerSetup setup);

    /// <summary>Stores one chunk of the evaluator's users of a held-out set.</summary>
    Task LoadUsersAsync(HeldOutChunk chunk);

    /// <summary>Per-user metrics of the evaluator's users under the given parameter versions; null when not ready.</summary>
    Task<RangeMetricsData?> EvaluateAsync(EvaluationRequest request);
}
