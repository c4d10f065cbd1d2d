using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// Where <see cref="RecVaeLoop"/>'s updates run: in this process on the loop's network (<see cref="RecVaeLocalExecutor"/>)
/// or spread over a cluster's workers and parameter shards. The loop owns the passes, the prior's refresh on its network,
/// the validation choice, best weights and checkpoints; the executor owns the parameters and both Adam optimizers'
/// state while training and brings them into the loop's network (the mirror) when asked.
/// </summary>
public interface IRecVaeExecutor
{
    /// <summary>Takes the mirror's parameters and both optimizers' moments and step counts as the state to train from.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>One update of the side <paramref name="step"/>'s phase trains; returns the batch's loss terms.</summary>
    Task<BatchLoss> StepAsync(RecVaeStep step, CancellationToken cancellationToken);

    /// <summary>Scores the validation or test users with the current parameters.</summary>
    Task<EvaluationResult> EvaluateAsync(HeldOutSet set, IReadOnlyList<RankingMetric> metrics, CancellationToken cancellationToken);

    /// <summary>Copies the current parameters, moments and step counts into the mirror and its optimizers.</summary>
    Task SyncMirrorAsync(CancellationToken cancellationToken);

    /// <summary>Makes the mirror's parameters the current ones (the best weights, before testing).</summary>
    Task LoadMirrorParametersAsync(CancellationToken cancellationToken);
}
