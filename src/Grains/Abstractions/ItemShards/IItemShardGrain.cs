using VaeCfCluster.Grains.Abstractions.ParameterServer;

namespace VaeCfCluster.Grains.Abstractions.ItemShards;

/// <summary>
/// One item range of an item-sharded job (key "jobId/index", spread over the silos): the first layer's rows, the output
/// layer's columns and bias, their Adam state, and the job's clicks in the range, on its silo's device. A training step
/// is four calls in order: <see cref="ForwardAsync"/>, <see cref="LogitsAsync"/>, <see cref="OutputBackwardAsync"/>,
/// <see cref="FirstLayerBackwardAsync"/>; only [B, H]-sized tensors and per-user scalars cross, whatever the number of
/// items. Every call answers <c>Ready = false</c> when the grain lost its state (its silo restarted, say).
/// </summary>
public interface IItemShardGrain : IGrainWithStringKey
{
    /// <summary>Builds the shard's tensors (zeros, fresh Adam at the given step count) for a job generation; returns its silo and state size.</summary>
    Task<ItemShardInfo> InitializeAsync(ItemShardSetup setup);

    /// <summary>Stores one chunk of the shard's bucket of the training clicks or of a held-out set's fold-in clicks.</summary>
    Task LoadClicksAsync(ItemShardClicksChunk chunk);

    /// <summary>This shard's part of the first layer's output for a batch of training rows, [B, H₁] float32 (kept for the backward pass).</summary>
    Task<ItemShardReply> ForwardAsync(ItemShardForward request);

    /// <summary>
    /// From the output layer's input [B, H]: the logits in range (kept) and, as [2B] float32, each user's max then
    /// Σ exp(logit − max); <see cref="ItemShardReply.Scalar"/> is the sum of the logits at the batch's clicks.
    /// </summary>
    Task<ItemShardReply> LogitsAsync(int generation, long step, byte[] hidden);

    /// <summary>From the exact log-sum-exp [B]: the shard's output gradients (kept) and its share of the output layer's input gradient [B, H].</summary>
    Task<ItemShardReply> OutputBackwardAsync(int generation, long step, byte[] logSumExp);

    /// <summary>From the first layer's output gradient [B, H₁]: the rows' gradient, weight decay and one Adam step. Scalar: milliseconds.</summary>
    Task<ItemShardReply> FirstLayerBackwardAsync(int generation, long step, byte[] firstGradient);

    /// <summary>This shard's part of the first layer's output [count, H₁] for held-out users [start, start + count) of a set (no dropout).</summary>
    Task<ItemShardReply> ScoringPartialAsync(int generation, string set, int start, int count);

    /// <summary>The best <paramref name="k"/> items in range for each of those users from the output layer's input, never a fold-in item.</summary>
    Task<ItemShardTopItems> TopItemsAsync(int generation, string set, int start, int count, byte[] hidden, int k);

    /// <summary>Writes the shard's checkpoint part of <paramref name="epoch"/> (parameters, Adam state) to the job's storage from its silo.</summary>
    Task<bool> SavePartAsync(int generation, int epoch, int shards);

    /// <summary>
    /// Loads the shard's checkpoint part of <paramref name="epoch"/> from the job's storage: its parameters, and with
    /// <paramref name="withMoments"/> its Adam state (the best weights before testing need only the parameters). Epoch 0
    /// is the starting weights: the shard draws them from the job's seed on its silo, as one process draws them. Parts
    /// written by another shard count (<paramref name="partShards"/>, a job resumed with another item shard count) are
    /// re-cut: the shard reads the old parts that overlap its range and copies their overlaps.
    /// </summary>
    Task<bool> LoadPartAsync(int generation, int epoch, int shards, int partShards, bool withMoments);

    /// <summary>Frees the shard's tensors (when the job generation ends).</summary>
    Task ReleaseAsync(int generation);
}
