using VaeCfCluster.Model.Checkpoints;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// An executor that keeps the model's state, checkpoints and best weights where it computes (item shards on their
/// silos) instead of in the loop's whole-model mirror, so no process holds every item's state. <see cref="TrainingLoop"/>
/// then runs without a mirror: it asks the executor to checkpoint after each epoch and to bring back the best weights
/// before testing.
/// </summary>
public interface IStateHoldingExecutor : ITrainingStepExecutor
{
    /// <summary>After <see cref="ITrainingStepExecutor.StartAsync"/>: the state of the checkpoint it resumed from, or null for a fresh start.</summary>
    TrainingState? Restored { get; }

    /// <summary>Writes the checkpoint of the finished epoch in <paramref name="state"/>; <paramref name="improved"/>: its weights are the best so far.</summary>
    Task SaveAsync(TrainingState state, bool improved, CancellationToken cancellationToken);

    /// <summary>Makes the best weights the current ones (before testing).</summary>
    Task UseBestAsync(CancellationToken cancellationToken);
}
