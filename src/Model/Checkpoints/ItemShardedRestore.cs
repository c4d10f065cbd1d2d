namespace VaeCfCluster.Model.Checkpoints;

/// <summary>
/// What an item-sharded checkpoint restores besides the middle: the training state, the epoch of the current parts, and
/// the item shard counts that wrote the current parts and the best epoch's parts.
/// </summary>
public sealed record ItemShardedRestore(TrainingState State, int PartEpoch, int PartShards, int BestPartShards);
