using VaeCfCluster.Model.Evaluation;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// One shard's candidates for each row's top items: its logits with the row's fold-in items in range set to −∞, the
/// best <c>k</c> of them, and their global item numbers. <see cref="TopItemCandidates.Merge"/> merges every shard's.
/// </summary>
public static class ItemShardTopK
{
    /// <summary>The best <paramref name="k"/> (at most the range's size) scores [B, k] and global items [B, k] of <paramref name="shard"/>.</summary>
    public static (Tensor Scores, Tensor Items) Of(ItemShard shard, Tensor hidden, ItemShardBatch foldIn, int k) =>
        TopItemCandidates.OfRange(shard.ScoringLogits(hidden), foldIn.ClickFlatIndices, shard.Range.Start, k);
}
