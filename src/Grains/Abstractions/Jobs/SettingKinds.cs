namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>Which autoencoder (wire form of the model library's <c>ModelKind</c>).</summary>
public enum AutoencoderKind
{
    /// <summary>Mult-VAE^PR.</summary>
    Vae = 0,

    /// <summary>Mult-DAE.</summary>
    Dae = 1,
}

/// <summary>Reconstruction likelihood (wire form of the model library's <c>Likelihood</c>).</summary>
public enum ReconstructionLikelihood
{
    /// <summary>Multinomial over items (the paper's choice).</summary>
    Multinomial = 0,

    /// <summary>Weighted Gaussian.</summary>
    Gaussian = 1,

    /// <summary>Logistic (per-item Bernoulli).</summary>
    Logistic = 2,
}

/// <summary>How β moves (wire form of the model library's <c>BetaMode</c>).</summary>
public enum KlWeightMode
{
    /// <summary>Linear anneal to a cap.</summary>
    Anneal = 0,

    /// <summary>Fixed β.</summary>
    Constant = 1,

    /// <summary>Anneal, then freeze at the β of the best validation epoch.</summary>
    Auto = 2,
}

/// <summary>How dense matrix products compute (wire form of the model library's <c>MatmulPrecision</c>).</summary>
public enum ProductPrecision
{
    /// <summary>float32.</summary>
    Fp32 = 0,

    /// <summary>TensorFloat-32 on CUDA, float32 on the CPU.</summary>
    Tf32 = 1,

    /// <summary>bfloat16 products, float32 weights.</summary>
    Bf16 = 2,
}

/// <summary>The DAE's code activation (wire form of the model library's <c>CodeActivation</c>).</summary>
public enum DaeCodeActivation
{
    /// <summary>tanh (the paper's).</summary>
    Tanh = 0,

    /// <summary>None: a linear code.</summary>
    Linear = 1,
}
