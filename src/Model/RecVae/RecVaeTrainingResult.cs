using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// What <see cref="RecVaeTrainer.Train"/> returns: the network with the weights of its best validation epoch (owned by
/// the caller), that epoch, every epoch's record, the test evaluation of the best weights, the seconds spent training
/// (every attempt's kept epochs included) and the part of them earlier attempts spent (zero for a fresh run).
/// </summary>
public sealed record RecVaeTrainingResult(RecVaeNetwork BestNetwork, int BestEpoch, double BestValidationNdcg100,
    IReadOnlyList<RecVaeEpoch> History, EvaluationResult Test, double TrainingSeconds, TimeSpan TimeBeforeResume = default) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => BestNetwork.Dispose();
}
