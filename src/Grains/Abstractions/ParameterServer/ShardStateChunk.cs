namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>
/// Values of a shard vector from <paramref name="Offset"/>: little-endian float32, or bfloat16 when
/// <paramref name="Bf16"/> (parameter copies other silos load when the job compresses its exchange).
/// </summary>
[GenerateSerializer, Immutable, Alias("vaecf.ShardStateChunk")]
public sealed record ShardStateChunk(
    [property: Id(0)] int Generation,
    [property: Id(1)] ShardStateKind Kind,
    [property: Id(2)] long Offset,
    [property: Id(3)] byte[] Values,
    [property: Id(4)] long Version,
    [property: Id(5)] long StepCount,
    [property: Id(6)] bool Bf16 = false);
