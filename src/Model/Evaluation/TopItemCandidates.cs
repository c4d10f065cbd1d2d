using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Ranking a catalog a range of items at a time: one range's candidates for each row's top items (its logits with the
/// row's fold-in items set to −∞, the best <c>k</c>, and their global item numbers), and the merge of every range's
/// candidates into each row's top k. Item shards and the whole-model scorer's item ranges both rank this way.
/// </summary>
public static class TopItemCandidates
{
    /// <summary>
    /// The best <paramref name="k"/> (at most the range's width) scores [B, k] and global items [B, k] of one range's
    /// <paramref name="logits"/> [B, width], whose first column is item <paramref name="firstItem"/>. The positions in
    /// <paramref name="foldInFlatIndices"/> (row·width + local item) are set to −∞ first, in place. The logits are
    /// consumed: disposed once their candidates exist, so ranking range after range holds one range's scores at a time.
    /// </summary>
    public static (Tensor Scores, Tensor Items) OfRange(Tensor logits, Tensor foldInFlatIndices, long firstItem, int k)
    {
        if (foldInFlatIndices.shape[0] > 0)
        {
            // The flat view is disposed here: left to the caller's scope, it would keep the logits' storage alive after
            // the Dispose below, so a caller ranking range after range would hold every range's scores at once.
            using var flat = logits.view(-1);
            using var filled = flat.FillNegativeInfinityInPlace(0, foldInFlatIndices);
        }
        var (top, at) = logits.topk((int)Math.Min(k, logits.shape[1]), dim: 1, largest: true, sorted: true);
        logits.Dispose();
        if (firstItem == 0) return (top, at);
        using var offset = firstItem.ToScalar();
        return (top, at.add_(offset, SafeTensorMath.OneInteger));
    }

    /// <summary>
    /// Each row's best <paramref name="k"/> global items over every range's candidates, row-major [B·k]; throws
    /// <see cref="InvalidOperationException"/> naming <paramref name="what"/> when a row has NaN scores.
    /// </summary>
    public static long[] Merge(IReadOnlyList<Tensor> scores, IReadOnlyList<Tensor> items, int k, string what)
    {
        using var scope = torch.NewDisposeScope();
        var (best, chosen) = scores.Count == 1 && scores[0].shape[1] == k ? (scores[0], items[0]) : MergeRanges(scores, items, k);
        // topk orders NaN above every number, so a row with any NaN score has one among its top values.
        if (best.isnan().any().item<bool>())
            throw new InvalidOperationException($"The model gave NaN scores for {what}.");
        return chosen.cpu().data<long>().ToArray();
    }

    /// <summary>Each row's best <paramref name="k"/> scores and their items over the candidate lists, as tensors [B, k], best first.</summary>
    internal static (Tensor Best, Tensor Chosen) MergeRanges(IReadOnlyList<Tensor> scores, IReadOnlyList<Tensor> items, int k)
    {
        var (best, position) = torch.cat(scores.ToArray(), 1).topk(k, dim: 1, largest: true, sorted: true);
        return (best, torch.cat(items.ToArray(), 1).gather(1, position));
    }
}
