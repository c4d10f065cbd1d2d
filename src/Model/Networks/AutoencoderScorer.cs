using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Networks;

/// <summary>
/// Ranks items for users by the decoder output f(z_u) with z_u = μ(x_u) (Section 2.4): no dropout, no latent
/// noise, gradients off. Softmax is monotone, so the raw output ranks exactly as the multinomial probabilities.
/// Scores stay on the network's device, where the evaluator masks fold-in items and takes the top items.
/// </summary>
public sealed class AutoencoderScorer(AutoencoderNetwork network) : IRecommenderScorer
{
    /// <inheritdoc />
    public int ItemCount => network.Config.ItemCount;

    /// <inheritdoc />
    public torch.Tensor Score(ClickMatrix foldIn, int start, int count)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = SparseBatch.ForScoring(foldIn, start, count, network.Device);
        var (output, _, _) = network.Forward(batch, noise: null);
        return scope.MoveToOuter(output);
    }
}
