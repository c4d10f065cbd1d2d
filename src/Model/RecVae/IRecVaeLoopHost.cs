using static TorchSharp.torch;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// What differs between running <see cref="RecVaeLoop"/> in one process and as a cluster job: where the mirror's tensor
/// work runs, where checkpoints are kept, and who hears about progress.
/// </summary>
public interface IRecVaeLoopHost
{
    /// <summary>Runs tensor work on the mirror on the right thread.</summary>
    Task RunTensorWorkAsync(Action work);

    /// <summary>Loads a checkpoint into the mirror and optimizers; returns its state and best weights (owned by the loop), or null to start fresh.</summary>
    (RecVaeLoopState State, Tensor[] Best)? Restore(RecVaeNetwork mirror, Training.AdamOptimizer encoderAdam, Training.AdamOptimizer decoderAdam);

    /// <summary>Called once the executor holds the starting state.</summary>
    void Started(RecVaeLoopState state, bool resumed) { }

    /// <summary>Called after every update with the pass's progress.</summary>
    void StepCompleted(RecVaeProgress progress) { }

    /// <summary>
    /// Called after each epoch's validation with the mirror holding the epoch's state: write the checkpoint, the log line,
    /// the status.
    /// </summary>
    void EpochCompleted(RecVaeEpoch record, RecVaeLoopState state, Evaluation.EvaluationResult validation, RecVaeNetwork mirror,
        Training.AdamOptimizer encoderAdam, Training.AdamOptimizer decoderAdam, IReadOnlyList<Tensor> best);

    /// <summary>Called when the run stops early (<see cref="RecVaeOptions.Patience"/>).</summary>
    void StoppedEarly(RecVaeLoopState state) { }

    /// <summary>Called before the best weights are scored on the test users.</summary>
    void Testing() { }

    /// <summary>Metrics computed on the validation users each epoch (NDCG@100 is always among them).</summary>
    IReadOnlyList<Evaluation.RankingMetric> ValidationMetrics => [Evaluation.RankingMetric.Ndcg(100)];
}
