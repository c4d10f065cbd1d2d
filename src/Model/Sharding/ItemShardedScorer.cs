using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// Ranks items with an <see cref="ItemShardedModel"/> as <see cref="AutoencoderScorer"/> ranks with the whole network
/// (z = μ, no dropout), one shard at a time: each shard masks the fold-in items in its range and keeps its top k,
/// and the shards' candidates are merged into each row's top k. The largest score tensor is [users × one shard's items].
/// </summary>
public sealed class ItemShardedScorer(ItemShardedModel model) : ITopItemsScorer
{
    /// <inheritdoc />
    public int ItemCount => model.Config.ItemCount;

    /// <inheritdoc />
    public long[] TopItems(ClickMatrix foldIn, int start, int count, int k)
    {
        using var scope = torch.NewDisposeScope();
        var device = model.FirstBias.device;
        var batch = SparseBatch.ForScoring(foldIn, start, count, device);
        var hidden = model.ScoringHidden(batch);
        var parts = ItemShardBatch.Split(batch, model.Shards.Select(s => s.Range).ToArray(), device);
        // Of disposes each shard's [count, range] scores once its candidates exist: one shard's scores at a time.
        var candidates = model.Shards.Select((shard, s) => ItemShardTopK.Of(shard, hidden, parts[s], k)).ToArray();
        return TopItemCandidates.Merge(candidates.Select(c => c.Scores).ToArray(), candidates.Select(c => c.Items).ToArray(), k,
            $"users [{start}, {start + count})");
    }

    /// <inheritdoc />
    /// <remarks>Builds the whole [count × items] score matrix: for small catalogs and tools that need every score.</remarks>
    public Tensor Score(ClickMatrix foldIn, int start, int count)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = model.ScoringHidden(SparseBatch.ForScoring(foldIn, start, count, model.FirstBias.device));
        return scope.MoveToOuter(torch.cat(model.Shards.Select(s => s.ScoringLogits(hidden)).ToArray(), 1));
    }
}
