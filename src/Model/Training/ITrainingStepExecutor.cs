using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// Where <see cref="TrainingLoop"/>'s updates run: in this process (<see cref="LocalStepExecutor"/>) or spread over a
/// cluster. The loop owns the epochs, β schedule, validation choice, best weights and checkpoints; the executor owns
/// the parameters and Adam state while training and brings them into the loop's mirror network when asked.
/// </summary>
public interface ITrainingStepExecutor
{
    /// <summary>Takes the mirror's parameters, Adam moments and step count as the state to train from.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>One update on one global batch; returns its loss terms and what it cost.</summary>
    Task<StepOutcome> StepAsync(TrainingStep step, CancellationToken cancellationToken);

    /// <summary>
    /// The loss terms of the steps whose outcome said <see cref="StepOutcome.LossDeferred"/> since the last call, in step
    /// order, read from the device now (the one place such a step's executor waits for the device while training).
    /// </summary>
    Task<IReadOnlyList<BatchLoss>> ReadDeferredLossesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BatchLoss>>([]);

    /// <summary>Scores the validation or test users with the current parameters.</summary>
    Task<EvaluationResult> EvaluateAsync(HeldOutSet set, IReadOnlyList<RankingMetric> metrics, CancellationToken cancellationToken);

    /// <summary>Copies the current parameters, Adam moments and step count into the mirror (for checkpoints and best weights).</summary>
    Task SyncMirrorAsync(CancellationToken cancellationToken);

    /// <summary>Makes the mirror's parameters the current ones (the best weights, before testing).</summary>
    Task LoadMirrorParametersAsync(CancellationToken cancellationToken);
}
