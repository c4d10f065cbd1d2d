using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// The outcome of a training run: the best model (by validation NDCG@100) and its test metrics; whether it ran to its end,
/// whether early stopping ended it, and the time earlier attempts spent in the epochs it resumed from (zero for a fresh run).
/// </summary>
public sealed record TrainingResult(
    AutoencoderNetwork BestNetwork,
    int BestEpoch,
    double BestValidationNdcg100,
    double ChosenBeta,
    EvaluationResult Test,
    IReadOnlyList<EpochRecord> History,
    bool Completed,
    bool StoppedEarly = false,
    TimeSpan TimeBeforeResume = default);
