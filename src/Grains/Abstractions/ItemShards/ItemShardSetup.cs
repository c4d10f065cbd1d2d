using VaeCfCluster.Grains.Abstractions.Jobs;

namespace VaeCfCluster.Grains.Abstractions.ItemShards;

/// <summary>What an item shard needs to build its part of a job's model.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Generation">Increases each time the job (re)starts; stale calls are refused.</param>
/// <param name="Start">First item of the range.</param>
/// <param name="Count">Items in the range.</param>
/// <param name="Model">The autoencoder (first hidden size H₁, last hidden size H, dropout, weight decay).</param>
/// <param name="Seed">Seed of the dropout masks.</param>
/// <param name="LearningRate">Adam step size.</param>
/// <param name="Beta1">Adam first-moment decay.</param>
/// <param name="Beta2">Adam second-moment decay.</param>
/// <param name="Epsilon">Adam epsilon.</param>
/// <param name="StepCount">Adam's step count to start from.</param>
/// <param name="Precision">How the output layer's products compute.</param>
/// <param name="CosineDecaySteps">Updates over which Adam's step size decays along a half cosine; 0 keeps it constant.</param>
[GenerateSerializer, Immutable, Alias("vaecf.ItemShardSetup")]
public sealed record ItemShardSetup(
    [property: Id(0)] string JobId,
    [property: Id(1)] int Generation,
    [property: Id(2)] int Start,
    [property: Id(3)] int Count,
    [property: Id(4)] ModelSettings Model,
    [property: Id(5)] long Seed,
    [property: Id(6)] double LearningRate,
    [property: Id(7)] double Beta1,
    [property: Id(8)] double Beta2,
    [property: Id(9)] double Epsilon,
    [property: Id(10)] long StepCount,
    [property: Id(11)] ProductPrecision Precision,
    [property: Id(12)] long CosineDecaySteps = 0);
