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
/// <see cref="Score"/>.
/// </summary>
public sealed class AutoencoderScorer(AutoencoderNetwork network, long maxScoresPerRange = AutoencoderScorer.DefaultMaxScoresPerRange) : ITopItemsScorer
{
    /// <summary>2^26 float32 scores (256 MiB) per range: 1,000 users × 67k items.</summary>
    public const long DefaultMaxScoresPerRange = 1L << 26;

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
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        int items = ItemCount;
        var batch = SparseBatch.ForScoring(foldIn, start, count, network.Device);
        var hidden = network.ScoringHidden(batch);
        var (weight, bias) = network.OutputLayer;
        int width = (int)Math.Clamp(maxScoresPerRange / Math.Max(count, 1), Math.Min(k, items), items);
        using var itemCount = ((long)items).ToScalar();
        var clickUsers = batch.ClickFlatIndices.div(itemCount, rounding_mode: RoundingMode.floor);
        var clickItems = batch.ClickFlatIndices.remainder(itemCount);
        var scores = new List<Tensor>();
        var found = new List<Tensor>();
        for (int first = 0; first < items; first += width)
        {
            int length = Math.Min(width, items - first);
            using Scalar firstItem = ((long)first).ToScalar(), end = ((long)(first + length)).ToScalar(), rowLength = ((long)length).ToScalar();
            var logits = MiddleLayers.Dense(hidden, weight.narrow(1, first, length), bias.narrow(0, first, length), network.Precision);
            var inRange = clickItems.ge(firstItem).logical_and_(clickItems.lt(end));
            var foldInInRange = clickUsers.masked_select(inRange).mul_(rowLength).add_(clickItems.masked_select(inRange).sub_(firstItem), SafeTensorMath.OneInteger);
            var (top, at) = TopItemCandidates.OfRange(logits, foldInInRange, first, k);
            scores.Add(top);
            found.Add(at);
        }
        return TopItemCandidates.Merge(scores, found, k, $"users [{start}, {start + count})");
    }
}
