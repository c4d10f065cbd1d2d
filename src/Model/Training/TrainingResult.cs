using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Training;

/// <summary>The outcome of a training run: the best model (by validation NDCG@100) and its test metrics; whether it ran to its end, and whether early stopping ended it.</summary>
public sealed record TrainingResult(
    AutoencoderNetwork BestNetwork,
    int BestEpoch,
    double BestValidationNdcg100,
    double ChosenBeta,
    EvaluationResult Test,
    IReadOnlyList<EpochRecord> History,
    bool Completed,
    bool StoppedEarly = false);
