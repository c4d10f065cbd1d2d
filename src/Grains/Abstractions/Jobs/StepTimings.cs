namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// Where a step's time went, in milliseconds: the whole step as the job saw it, then the slowest worker's parameter
/// fetch, gradient computation and gradient push, and the slowest shard's update (sum, weight decay, Adam).
/// </summary>
[GenerateSerializer, Immutable, Alias("vaecf.StepTimings")]
public sealed record StepTimings(
    [property: Id(0)] double Step,
    [property: Id(1)] double Fetch,
    [property: Id(2)] double Compute,
    [property: Id(3)] double Push,
    [property: Id(4)] double Apply)
{
    /// <summary>No step yet.</summary>
    public static StepTimings None { get; } = new(0, 0, 0, 0, 0);
}
