namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>Part <paramref name="Index"/> of <paramref name="Count"/> of a serialized data split.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.DataChunk")]
public sealed record DataChunk([property: Id(0)] int Index, [property: Id(1)] int Count, [property: Id(2)] byte[] Bytes);
