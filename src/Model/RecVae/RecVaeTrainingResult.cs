using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// What <see cref="RecVaeTrainer.Train"/> returns: the network with the weights of its best validation epoch (owned by
/// the caller), that epoch, every epoch's record and the test evaluation of the best weights.
/// </summary>
public sealed record RecVaeTrainingResult(RecVaeNetwork BestNetwork, int BestEpoch, double BestValidationNdcg100,
    IReadOnlyList<RecVaeEpoch> History, EvaluationResult Test, double TrainingSeconds) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => BestNetwork.Dispose();
}
