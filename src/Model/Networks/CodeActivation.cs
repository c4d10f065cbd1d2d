namespace VaeCfCluster.Model.Networks;

/// <summary>
/// The activation of Mult-DAE's code layer. The paper's DAE codes with tanh; a linear code makes the DAE without hidden
/// layers a low-rank linear model under the softmax, whose scores add up over a user's clicks as EASE's do instead of
/// saturating for users with many clicks. The VAE's code (z = μ + ε ⊙ σ) is linear already.
/// </summary>
public enum CodeActivation
{
    /// <summary>tanh, as in the paper and its reference code (default).</summary>
    Tanh = 0,

    /// <summary>None: the code is the layer's affine output.</summary>
    Linear = 1,
}
