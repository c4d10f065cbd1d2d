namespace VaeCfCluster.Model.Networks;

/// <summary>Which autoencoder (Liang et al. 2018, Sections 2.2-2.3).</summary>
public enum ModelKind
{
    /// <summary>Mult-VAE^PR: a variational autoencoder whose KL term is weighted by beta (Eq. 6).</summary>
    Vae,

    /// <summary>Mult-DAE: a denoising autoencoder with input dropout and weight decay, no latent noise.</summary>
    Dae,

    /// <summary>
    /// RecVAE (Shenbin et al., WSDM 2020): Mult-VAE with a composite prior, user-specific β, alternating encoder and
    /// decoder updates and a dense encoder. Not an <see cref="AutoencoderNetwork"/>: it trains with
    /// <see cref="RecVae.RecVaeTrainer"/> in one process, or with its <see cref="RecVae.RecVaeLoop"/> on a cluster.
    /// </summary>
    RecVae,
}
