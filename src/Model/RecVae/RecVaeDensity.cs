using static TorchSharp.torch;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// The log-densities of RecVAE's KL term, which it estimates from one sample z: log q(z | x) − log p(z).
/// </summary>
public static class RecVaeDensity
{
    /// <summary>log(2π).</summary>
    public static readonly double LogTwoPi = Math.Log(2 * Math.PI);

    /// <summary>log σ² of the composite prior's wide component (the reference code's 10).</summary>
    public const double WideLogVariance = 10.0;

    /// <summary>Elementwise log N(x; μ, e^{log σ²}) = −½(log σ² + log 2π + (x − μ)²·e^{−log σ²}).</summary>
    public static Tensor LogNormal(Tensor x, Tensor mean, Tensor logVariance) =>
        logVariance.Plus(x.Minus(mean).Squared().mul(logVariance.neg().exp())).Shifted(LogTwoPi).Times(-0.5);

    /// <summary>Elementwise log N(x; 0, e^{<paramref name="logVariance"/>}) for a constant log variance.</summary>
    public static Tensor LogCenteredNormal(Tensor x, double logVariance) =>
        x.Squared().Times(-0.5 * Math.Exp(-logVariance)).Shifted(-0.5 * (logVariance + LogTwoPi));

    /// <summary>
    /// Elementwise log of the composite prior w₀·N(z; 0, 1) + w₁·N(z; μ_old, σ²_old) + w₂·N(z; 0, e¹⁰), with (μ_old,
    /// log σ²_old) the posterior of the encoder as it was after the previous encoder phase, summed by log-sum-exp.
    /// </summary>
    public static Tensor LogCompositePrior(Tensor z, Tensor oldMean, Tensor oldLogVariance, IReadOnlyList<double> mixtureWeights)
    {
        var standard = LogCenteredNormal(z, 0).Shifted(Math.Log(mixtureWeights[0]));
        var previous = LogNormal(z, oldMean, oldLogVariance).Shifted(Math.Log(mixtureWeights[1]));
        var wide = LogCenteredNormal(z, WideLogVariance).Shifted(Math.Log(mixtureWeights[2]));
        return stack([standard, previous, wide], -1).logsumexp(-1);
    }
}
