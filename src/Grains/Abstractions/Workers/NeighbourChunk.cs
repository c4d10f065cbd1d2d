namespace VaeCfCluster.Grains.Abstractions.Workers;

/// <summary>
/// Part <paramref name="Index"/> of <paramref name="Count"/> of the item-item term's neighbour index: the job's
/// [items × neighbours] targets as little-endian int32, row-major. Workers and evaluators put it on their silo's replica.
/// </summary>
[GenerateSerializer, Immutable, Alias("vaecf.NeighbourChunk")]
public sealed record NeighbourChunk(
    [property: Id(0)] int Generation,
    [property: Id(1)] int Index,
    [property: Id(2)] int Count,
    [property: Id(3)] byte[] Bytes);
