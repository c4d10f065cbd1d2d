namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>float32 values (little-endian bytes) of a shard vector from <paramref name="Offset"/>.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.ShardStateChunk")]
public sealed record ShardStateChunk(
    [property: Id(0)] int Generation,
    [property: Id(1)] ShardStateKind Kind,
    [property: Id(2)] long Offset,
    [property: Id(3)] byte[] Values,
    [property: Id(4)] long Version,
    [property: Id(5)] long StepCount);
