using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// One shard's candidates for each row's top items: its logits with the row's fold-in items in range set to −∞, the
/// best <c>k</c> of them, and their global item numbers; and the merge of every shard's candidates into each row's top k.
/// </summary>
public static class ItemShardTopK
{
    /// <summary>The best <paramref name="k"/> (at most the range's size) scores [B, k] and global items [B, k] of <paramref name="shard"/>.</summary>
    public static (Tensor Scores, Tensor Items) Of(ItemShard shard, Tensor hidden, ItemShardBatch foldIn, int k)
    {
        var logits = shard.ScoringLogits(hidden);
        if (foldIn.ClickFlatIndices.shape[0] > 0) logits.view(-1).FillNegativeInfinityInPlace(0, foldIn.ClickFlatIndices);
        var (top, at) = logits.topk(Math.Min(k, shard.Range.Count), dim: 1, largest: true, sorted: true);
        using var offset = ((long)shard.Range.Start).ToScalar();
        return (top, at.add(offset, SafeTensorMath.OneInteger));
    }

    /// <summary>Each row's best <paramref name="k"/> global items over every shard's candidates, row-major; throws on NaN scores.</summary>
    public static long[] Merge(IReadOnlyList<Tensor> scores, IReadOnlyList<Tensor> items, int k, string what)
    {
        using var scope = torch.NewDisposeScope();
        var (best, position) = torch.cat(scores.ToArray(), 1).topk(k, dim: 1, largest: true, sorted: true);
        if (best.isnan().any().item<bool>())
            throw new InvalidOperationException($"The item-sharded model gave NaN scores for {what}.");
        return torch.cat(items.ToArray(), 1).gather(1, position).cpu().data<long>().ToArray();
    }
}
