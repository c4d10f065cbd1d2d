namespace VaeCfCluster.Grains.Abstractions.ItemShards;

/// <summary>Where an item shard lives and how many bytes of state it holds there (parameters, gradients, Adam moments).</summary>
[GenerateSerializer, Immutable, Alias("vaecf.ItemShardInfo")]
public sealed record ItemShardInfo(
    [property: Id(0)] string Silo,
    [property: Id(1)] long StateBytes);
