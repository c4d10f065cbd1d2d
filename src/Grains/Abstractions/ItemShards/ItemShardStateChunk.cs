using VaeCfCluster.Grains.Abstractions.ParameterServer;

namespace VaeCfCluster.Grains.Abstractions.ItemShards;

/// <summary>Float32 values of one of an item shard's flat state vectors from <paramref name="Offset"/>, with Adam's step count (−1: leave it).</summary>
[GenerateSerializer, Immutable, Alias("vaecf.ItemShardStateChunk")]
public sealed record ItemShardStateChunk(
    [property: Id(0)] int Generation,
    [property: Id(1)] ShardStateKind Kind,
    [property: Id(2)] long Offset,
    [property: Id(3)] byte[] Values,
    [property: Id(4)] long StepCount);
