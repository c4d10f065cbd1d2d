using VaeCfCluster.Grains.Abstractions.Jobs;

namespace VaeCfCluster.Grains.Abstractions.ItemShards;

/// <summary>What an item shard needs to build its part of a job's model.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Generation">Increases each time the job (re)starts; stale calls are refused.</param>
/// <param name="Start">First item of the range.</param>
/// <param name="Count">Items in the range.</param>
/// <param name="Model">The autoencoder (first hidden size H₁, last hidden size H, dropout, weight decay).</param>
/// <param name="Seed">Seed of the dropout masks.</param>
/// <param name="Adam">Adam's settings.</param>
/// <param name="StepCount">Adam's step count to start from.</param>
/// <param name="Precision">How the output layer's products compute.</param>
[GenerateSerializer, Immutable, Alias("vaecf.ItemShardSetup")]
public sealed record ItemShardSetup(
    [property: Id(0)] string JobId,
    [property: Id(1)] int Generation,
    [property: Id(2)] int Start,
    [property: Id(3)] int Count,
    [property: Id(4)] ModelSettings Model,
    [property: Id(5)] long Seed,
    [property: Id(6)] AdamSettings Adam,
    [property: Id(7)] long StepCount,
    [property: Id(8)] ProductPrecision Precision);
