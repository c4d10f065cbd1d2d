using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Networks;

/// <summary>
/// Ranks items for users by the decoder output f(z_u) with z_u = μ(x_u) (Section 2.4): no dropout, no latent
/// noise, gradients off. Softmax is monotone, so the raw output ranks exactly as the multinomial probabilities.
/// Scores stay on the network's device, where fold-in items are masked and the top items taken. For ranking, the
/// output is formed a range of items at a time when a batch's whole [users × items] scores would exceed
/// <paramref name="maxScoresPerRange"/> values, and the ranges' top items are merged: evaluating a million-item model
/// never holds a [batch × catalog] tensor. Below that size one range is the whole catalog, the same product as
/// <see cref="Score"/>. The item-item term's scores (<see cref="AutoencoderNetwork.NeighbourScores"/>) are a whole
/// [users × items] tensor, so with the term a batch is ranked a group of users at a time, each group's [users × items]
/// within the same bound (one user at least).
/// </summary>
public sealed class AutoencoderScorer(AutoencoderNetwork network, long maxScoresPerRange = ItemRangeRanking.DefaultMaxScoresPerRange) : ITopItemsScorer
{
    /// <inheritdoc />
    public int ItemCount => network.Config.ItemCount;

    /// <inheritdoc />
    public Tensor Score(ClickMatrix foldIn, int start, int count)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = SparseBatch.ForScoring(foldIn, start, count, network.Device);
        var (output, _, _) = network.Forward(batch, noise: null);
        return scope.MoveToOuter(output);
    }

    /// <inheritdoc />
    public long[] TopItems(ClickMatrix foldIn, int start, int count, int k)
    {
        if (network.NeighbourWeight is not null)
        {
            int rows = (int)Math.Clamp(maxScoresPerRange / Math.Max(ItemCount, 1), 1, Math.Max(count, 1));
            if (rows < count)
            {
                var top = new long[(long)count * k];
                for (int first = 0; first < count; first += rows)
                {
                    int length = Math.Min(rows, count - first);
                    TopItemsOfRows(foldIn, start + first, length, k).CopyTo(top.AsSpan(first * k));
                }
                return top;
            }
        }
        return TopItemsOfRows(foldIn, start, count, k);
    }

    private long[] TopItemsOfRows(ClickMatrix foldIn, int start, int count, int k)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = SparseBatch.ForScoring(foldIn, start, count, network.Device);
        var hidden = network.ScoringHidden(batch);
        var (weight, bias) = network.OutputLayer;
        var neighbourScores = network.NeighbourScores(batch);
        return ItemRangeRanking.TopItems(ItemCount, count, batch.ClickFlatIndices,
            (first, width) =>
            {
                var scores = MiddleLayers.Dense(hidden, weight.narrow(1, first, width), bias.narrow(0, first, width), network.Precision);
                return neighbourScores is null ? scores : scores.AddInPlace(neighbourScores.narrow(1, first, width));
            },
            k, maxScoresPerRange, $"users [{start}, {start + count})");
    }
}
