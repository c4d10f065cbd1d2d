namespace VaeCfCluster.Grains.Abstractions.Workers;

/// <summary>Part <paramref name="Index"/> of <paramref name="Count"/> of a serialized user partition.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.PartitionChunk")]
public sealed record PartitionChunk(
    [property: Id(0)] int Generation,
    [property: Id(1)] int Index,
    [property: Id(2)] int Count,
    [property: Id(3)] byte[] Bytes);
