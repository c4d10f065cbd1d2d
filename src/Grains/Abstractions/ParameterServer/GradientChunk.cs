namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>
/// Part <paramref name="Index"/> of a worker's gradient of one step for one shard on another silo (the output layer's
/// parts first, sent while the worker's backward pass still runs): segments (start relative to the shard, length)
/// whose values follow each other in <paramref name="Values"/> as float32, or bfloat16 when <paramref name="Bf16"/>.
/// The first layer's gradient is row-sparse, so it travels as one segment per run of touched item rows.
/// </summary>
[GenerateSerializer, Immutable, Alias("vaecf.GradientChunk")]
public sealed record GradientChunk(
    [property: Id(0)] int Generation,
    [property: Id(1)] long Step,
    [property: Id(2)] int Worker,
    [property: Id(3)] int Index,
    [property: Id(4)] long[] SegmentStarts,
    [property: Id(5)] int[] SegmentLengths,
    [property: Id(6)] byte[] Values,
    [property: Id(7)] bool Bf16);
