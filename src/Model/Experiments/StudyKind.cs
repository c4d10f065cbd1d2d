namespace VaeCfCluster.Model.Experiments;

/// <summary>The paper's studies (Liang et al. 2018, Section 4) that <c>vaecf experiment</c> can run.</summary>
public enum StudyKind
{
    /// <summary>Figure 1: validation NDCG@100 per epoch with no annealing, annealing to β = 1, and annealing capped at the best β.</summary>
    Figure1,

    /// <summary>Table 4: multinomial, Gaussian and logistic likelihoods for Mult-VAE^PR and Mult-DAE, each tuned separately.</summary>
    Table4,

    /// <summary>Table 2: Mult-VAE^PR and Mult-DAE against popularity, EASE, WMF, SLIM and CDAE, tuned on validation NDCG@100.</summary>
    Table2,

    /// <summary>Figure 3: NDCG@100 by quintile of user activity for Mult-VAE^PR and Mult-DAE, with paired t-tests.</summary>
    Figure3,

    /// <summary>Table 3: NCF's leave-one-out protocol (one held-out item ranked among sampled negatives), Recall@10 and NDCG@10.</summary>
    Table3,
}
