namespace VaeCfCluster.Grains.Abstractions.Evaluation;

/// <summary>Part of a serialized range of held-out users (fold-in and held-out clicks) of set <paramref name="Set"/>.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.HeldOutChunk")]
public sealed record HeldOutChunk(
    [property: Id(0)] int Generation,
    [property: Id(1)] string Set,
    [property: Id(2)] int Start,
    [property: Id(3)] int Index,
    [property: Id(4)] int Count,
    [property: Id(5)] byte[] Bytes);
