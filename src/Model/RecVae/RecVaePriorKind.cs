namespace VaeCfCluster.Model.RecVae;

/// <summary>The prior a RecVAE's KL term is taken against (an ablation switch).</summary>
public enum RecVaePriorKind
{
    /// <summary>RecVAE's composite prior: standard normal, the previous encoder's posterior and a wide normal, mixed.</summary>
    Composite,

    /// <summary>The standard normal, as Mult-VAE.</summary>
    Standard,
}
