namespace VaeCfCluster.Grains.Abstractions.ItemShards;

/// <summary>A training step's batch, as every item shard gets it.</summary>
/// <param name="Generation">The job generation.</param>
/// <param name="Step">Global update number (0-based).</param>
/// <param name="Epoch">1-based epoch (seeds dropout).</param>
/// <param name="Rows">Training rows of the batch, in batch order.</param>
[GenerateSerializer, Immutable, Alias("vaecf.ItemShardForward")]
public sealed record ItemShardForward(
    [property: Id(0)] int Generation,
    [property: Id(1)] long Step,
    [property: Id(2)] int Epoch,
    [property: Id(3)] int[] Rows);
