namespace VaeCfCluster.Model.Training;

/// <summary>
/// What one update gave and cost: its loss terms, the bytes it moved between processes (0 in one process), and where
/// the time went in milliseconds (loading parameters, computing gradients, the rest of the step: grain calls, queueing
/// and pulling gradient parts, then the shard updates). With <paramref name="LossDeferred"/> the loss terms are still on
/// the device (<paramref name="Loss"/> holds only the user count) and come from
/// <see cref="ITrainingStepExecutor.ReadDeferredLossesAsync"/>.
/// </summary>
public sealed record StepOutcome(BatchLoss Loss, long Bytes = 0, double FetchMilliseconds = 0, double ComputeMilliseconds = 0,
    double OtherMilliseconds = 0, double ApplyMilliseconds = 0, bool LossDeferred = false);
