namespace VaeCfCluster.Model.RecVae;

/// <summary>The encoder of a RecVAE (an ablation switch).</summary>
public enum RecVaeEncoderKind
{
    /// <summary>RecVAE's: densely connected layers h_l = LN(swish(h_{l-1}·W_l + b_l + Σ_{j&lt;l} h_j)).</summary>
    Dense,

    /// <summary>Mult-VAE's: one tanh hidden layer.</summary>
    MultVae,
}
