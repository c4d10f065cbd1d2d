namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>A shard's range and optimizer settings.</summary>
/// <param name="Generation">Job generation; calls from another generation are refused.</param>
/// <param name="Length">Parameters in the shard's range.</param>
/// <param name="WeightRanges">Pairs (start, length), relative to the shard, of weight matrices (weight decay applies there).</param>
/// <param name="LearningRate">Adam step size.</param>
/// <param name="Beta1">Adam first-moment decay.</param>
/// <param name="Beta2">Adam second-moment decay.</param>
/// <param name="Epsilon">Adam epsilon.</param>
/// <param name="WeightDecay">λ: 2λW is added to weight gradients.</param>
/// <param name="StepCount">Adam's step count t to start from (non-zero when resuming).</param>
[GenerateSerializer, Immutable, Alias("vaecf.ShardSetup")]
public sealed record ShardSetup(
    [property: Id(0)] int Generation,
    [property: Id(1)] long Length,
    [property: Id(2)] long[] WeightRanges,
    [property: Id(3)] double LearningRate,
    [property: Id(4)] double Beta1,
    [property: Id(5)] double Beta2,
    [property: Id(6)] double Epsilon,
    [property: Id(7)] double WeightDecay,
    [property: Id(8)] long StepCount);
