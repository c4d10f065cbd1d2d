using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Networks;

/// <summary>
/// The terms of the training objective (Liang et al. 2018, Eq. 2-6), each summed over the users of a batch so a
/// global batch split across workers sums to the same value. The per-batch loss is
/// (Σ_u −log p(x_u | z_u) + β Σ_u KL(q(z_u | x_u) ‖ N(0, I))) / B + λ Σ‖W‖², as in the reference code.
/// </summary>
public static class AutoencoderObjective
{
    /// <summary>
    /// Σ_u −log p(x_u | f_u) for the configured likelihood, using only the click positions of the batch:
    /// multinomial −Σ x log softmax(f) = Σ_u n_u·logsumexp(f_u) − Σ_clicks f (each click weighted by
    /// <see cref="SparseBatch.ClickWeights"/> when the batch has them, n_u then their sum); Gaussian
    /// c0/2·Σ f² + Σ_clicks [c1/2·(1 − f)² − c0/2·f²]; logistic Σ softplus(f) − Σ_clicks f.
    /// </summary>
    public static Tensor NegativeLogLikelihoodSum(Tensor output, SparseBatch batch, AutoencoderConfig config)
    {
        var atClicks = output.view(-1).index_select(0, batch.ClickFlatIndices);
        switch (config.Likelihood)
        {
            case Likelihood.Multinomial:
                return MultinomialSum(output.logsumexp(1), atClicks, batch);
            case Likelihood.Gaussian:
                double c1 = config.GaussianClickConfidence, c0 = config.GaussianUnclickedConfidence;
                var clicked = atClicks.neg().ShiftInPlace(1).Squared().TimesInPlace(c1 / 2).Minus(atClicks.Squared().TimesInPlace(c0 / 2));
                return output.Squared().sum().TimesInPlace(c0 / 2).Plus(clicked.sum());
            case Likelihood.Logistic:
                return output.Softplus().sum().Minus(atClicks.sum());
            default:
                throw new ArgumentOutOfRangeException(nameof(config), config.Likelihood, "Unknown likelihood.");
        }
    }

    /// <summary>
    /// The multinomial Σ_u −log p(x_u | f_u) and its gradient with respect to f divided by <paramref name="divisor"/>,
    /// (n_u · softmax(f_u) − x_u) / divisor (x_u and n_u weighted as in <see cref="NegativeLogLikelihoodSum"/>), computed directly instead of by autograd: a few fused passes over the
    /// [B, I] output instead of about six (logsumexp's backward, index_select's scatter into zeros, and their sum).
    /// The caller hands the gradient to <c>torch.autograd.backward</c> at the output. No graph is recorded.
    /// </summary>
    public static (Tensor NegativeLogLikelihoodSum, Tensor OutputGradient) MultinomialWithGradient(Tensor output, SparseBatch batch, double divisor)
    {
        using var noGrad = torch.no_grad();
        var logNormalizer = output.logsumexp(1);
        var atClicks = output.view(-1).index_select(0, batch.ClickFlatIndices);
        var nll = MultinomialSum(logNormalizer, atClicks, batch);
        var gradient = output.softmax(1).mul_(batch.ClickCounts.DividedBy(divisor).unsqueeze(1));
        var clickGradient = batch.ClickWeights is null
            ? torch.ones(atClicks.shape[0], device: output.device).TimesInPlace(-1.0 / divisor)
            : batch.ClickWeights.Times(-1.0 / divisor);
        gradient.view(-1).IndexAddInPlace(0, batch.ClickFlatIndices, clickGradient);
        return (nll, gradient);
    }

    /// <summary>Σ_u n_u·logsumexp(f_u) − Σ_clicks w·f: the multinomial −log-likelihood from each user's log normalizer and the outputs at the clicks (w = 1 without click weights).</summary>
    private static Tensor MultinomialSum(Tensor logNormalizer, Tensor atClicks, SparseBatch batch)
    {
        var clickSum = batch.ClickWeights is null ? atClicks.sum() : atClicks.mul(batch.ClickWeights).sum();
        return (batch.ClickCounts * logNormalizer).sum().Minus(clickSum);
    }

    /// <summary>Σ_u KL(N(μ_u, σ_u²) ‖ N(0, I)) = Σ_u Σ_k ½(−log σ² + σ² + μ² − 1).</summary>
    public static Tensor KlDivergenceSum(Tensor mean, Tensor logVariance) =>
        logVariance.exp().Minus(logVariance).Plus(mean.Squared()).ShiftInPlace(-1).sum().TimesInPlace(0.5);

    /// <summary>
    /// λ Σ_W ‖W‖² over weight matrices (the reference code's 2·l2_regularizer(λ)), plus λ_N Σ N² over the item-item
    /// term's weights; zero when both are 0.
    /// </summary>
    public static Tensor WeightPenalty(AutoencoderNetwork network)
    {
        double lambda = network.Config.WeightDecay, neighbourLambda = network.Config.NeighbourWeightDecay;
        var total = torch.zeros(1);
        if (lambda != 0)
        {
            foreach (var w in network.Weights) total = total.Plus(w.Squared().sum());
            total = total.TimesInPlace(lambda);
        }
        if (neighbourLambda != 0 && network.NeighbourWeight is { } neighbours)
            total = total.Plus(neighbours.Squared().sum().Times(neighbourLambda));
        return total;
    }
}
