using VaeCfCluster.Grains.Abstractions.Workers;

namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>A shard's job, index and optimizer settings.</summary>
/// <param name="Job">The job's model and shard layout (the silo's replica is built from it).</param>
/// <param name="Shard">This shard's index.</param>
/// <param name="LearningRate">Adam step size.</param>
/// <param name="Beta1">Adam first-moment decay.</param>
/// <param name="Beta2">Adam second-moment decay.</param>
/// <param name="Epsilon">Adam epsilon.</param>
/// <param name="WeightDecay">λ: 2λW is added to weight gradients.</param>
/// <param name="StepCount">Adam's step count t to start from (non-zero when resuming).</param>
/// <param name="CosineDecaySteps">Updates over which Adam's step size decays along a half cosine; 0 keeps it constant.</param>
[GenerateSerializer, Immutable, Alias("vaecf.ShardSetup")]
public sealed record ShardSetup(
    [property: Id(0)] WorkerSetup Job,
    [property: Id(1)] int Shard,
    [property: Id(2)] double LearningRate,
    [property: Id(3)] double Beta1,
    [property: Id(4)] double Beta2,
    [property: Id(5)] double Epsilon,
    [property: Id(6)] double WeightDecay,
    [property: Id(7)] long StepCount,
    [property: Id(8)] long CosineDecaySteps = 0);
