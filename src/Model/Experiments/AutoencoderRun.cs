using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// A finished autoencoder training run as a study needs it: the best network (by validation NDCG@100), where and with
/// which β it was found, and the per-epoch history (Figure 1 plots its validation NDCG@100).
/// </summary>
/// <param name="Network">The best weights; the caller disposes it.</param>
/// <param name="BestEpoch">1-based epoch of the best validation NDCG@100.</param>
/// <param name="BestValidationNdcg100">Validation NDCG@100 at <paramref name="BestEpoch"/>.</param>
/// <param name="ChosenBeta">β the schedule settled on (the cap, the constant, or the frozen automatic value).</param>
/// <param name="History">One record per epoch.</param>
public sealed record AutoencoderRun(AutoencoderNetwork Network, int BestEpoch, double BestValidationNdcg100, double ChosenBeta,
    IReadOnlyList<EpochRecord> History);
