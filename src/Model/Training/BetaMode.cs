namespace VaeCfCluster.Model.Training;

/// <summary>How the KL weight β of Eq. 6 evolves during training (Section 2.2.2, Figure 1).</summary>
public enum BetaMode
{
    /// <summary>β = min(cap, step / total anneal steps), counted per gradient update.</summary>
    Anneal,

    /// <summary>β fixed at <see cref="BetaScheduleOptions.Constant"/> (1 is the plain ELBO; 0 no KL term).</summary>
    Constant,

    /// <summary>
    /// Anneal towards 1 while watching validation NDCG@100; when it has not improved for
    /// <see cref="BetaScheduleOptions.AutoPatienceEpochs"/> epochs, freeze β at its value at the best epoch.
    /// </summary>
    Auto,
}
