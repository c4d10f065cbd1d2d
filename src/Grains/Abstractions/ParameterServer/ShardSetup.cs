using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Abstractions.Workers;

namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>A shard's job, index and optimizer settings.</summary>
/// <param name="Job">The job's model and shard layout (the silo's replica is built from it).</param>
/// <param name="Shard">This shard's index.</param>
/// <param name="Adam">Adam's settings.</param>
/// <param name="WeightDecay">λ: 2λW is added to weight gradients.</param>
/// <param name="StepCount">Adam's step count t to start from (non-zero when resuming).</param>
[GenerateSerializer, Immutable, Alias("vaecf.ShardSetup")]
public sealed record ShardSetup(
    [property: Id(0)] WorkerSetup Job,
    [property: Id(1)] int Shard,
    [property: Id(2)] AdamSettings Adam,
    [property: Id(3)] double WeightDecay,
    [property: Id(4)] long StepCount);
