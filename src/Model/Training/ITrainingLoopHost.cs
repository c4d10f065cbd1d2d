using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// What differs between running <see cref="TrainingLoop"/> in one process and as a cluster job: where the mirror's
/// tensor work runs, where checkpoints are kept, and who hears about progress.
/// </summary>
public interface ITrainingLoopHost
{
    /// <summary>Runs tensor work on the mirror (copying weights, checkpoints) on the right thread.</summary>
    Task RunTensorWorkAsync(Action work);

    /// <summary>Loads a checkpoint into the mirror, optimizer and best weights and returns its state; null to start fresh.</summary>
    TrainingState? Restore(AutoencoderNetwork mirror, AdamOptimizer optimizer, IReadOnlyList<TorchSharp.torch.Tensor> best);

    /// <summary>Called once the executor holds the starting state.</summary>
    void Started(TrainingState state, bool resumed) { }

    /// <summary>Called after every update.</summary>
    void StepCompleted(StepReport report) { }

    /// <summary>Called when an epoch's training part ends, before validation.</summary>
    void Validating(int epoch) { }

    /// <summary>
    /// Called after each epoch's validation with the mirror holding the epoch's state: write the checkpoint, the log
    /// line, the status. Without a mirror (an <see cref="IStateHoldingExecutor"/>, which has written the checkpoint)
    /// the mirror, optimizer and best weights are null.
    /// </summary>
    void EpochCompleted(EpochRecord record, TrainingState state, EvaluationResult validation, AutoencoderNetwork? mirror,
        AdamOptimizer? optimizer, IReadOnlyList<TorchSharp.torch.Tensor>? best);

    /// <summary>Called before the best weights are scored on the test users.</summary>
    void Testing() { }

    /// <summary>Metrics computed on the validation users each epoch (NDCG@100 is always among them).</summary>
    IReadOnlyList<RankingMetric> ValidationMetrics => [RankingMetric.Ndcg(100)];
}
