namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// Adam's settings as they cross the grain boundary to a parameter shard or an item shard: the wire form of the model
/// library's <c>AdamOptions</c> (same names and meanings).
/// </summary>
/// <param name="LearningRate">Step size.</param>
/// <param name="Beta1">First-moment decay.</param>
/// <param name="Beta2">Second-moment decay.</param>
/// <param name="Epsilon">Added to the second moment's square root.</param>
/// <param name="CosineDecaySteps">Updates over which the step size decays along a half cosine; 0 keeps it constant.</param>
[GenerateSerializer, Immutable, Alias("vaecf.AdamSettings")]
public sealed record AdamSettings(
    [property: Id(0)] double LearningRate,
    [property: Id(1)] double Beta1,
    [property: Id(2)] double Beta2,
    [property: Id(3)] double Epsilon,
    [property: Id(4)] long CosineDecaySteps);
