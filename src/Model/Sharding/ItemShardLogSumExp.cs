using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// The exact per-user log Σ exp(logit) over the whole catalog from each item shard's per-user max m_s and
/// Σ exp(logit − m_s): with M = max_s m_s, log Σ_s Σexp_s · exp(m_s − M) + M.
/// </summary>
public static class ItemShardLogSumExp
{
    /// <summary>Combines the shards' (max, Σexp) pairs, each [B], into the log-sum-exp [B].</summary>
    public static Tensor Combine(IReadOnlyList<(Tensor Max, Tensor SumExp)> shards)
    {
        if (shards.Count == 0) throw new ArgumentException("At least one shard is needed.", nameof(shards));
        var max = torch.stack(shards.Select(t => t.Max).ToArray()).amax([0]);
        var total = torch.zeros_like(max);
        foreach (var (shardMax, sumExp) in shards) total.AddInPlace(sumExp.mul(shardMax.sub(max).exp_()));
        return total.log_().AddInPlace(max);
    }
}
