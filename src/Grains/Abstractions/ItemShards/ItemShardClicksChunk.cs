namespace VaeCfCluster.Grains.Abstractions.ItemShards;

/// <summary>Part <paramref name="Index"/> of <paramref name="Count"/> of a serialized click bucket of set <paramref name="Set"/> ("train", "validation" or "test").</summary>
[GenerateSerializer, Immutable, Alias("vaecf.ItemShardClicksChunk")]
public sealed record ItemShardClicksChunk(
    [property: Id(0)] int Generation,
    [property: Id(1)] string Set,
    [property: Id(2)] int Index,
    [property: Id(3)] int Count,
    [property: Id(4)] byte[] Bytes);
