namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// Where a step's time went, in milliseconds: the whole step as the job saw it, then the slowest worker's parameter
/// fetch (shards owned by other silos) and gradient computation, what neither accounts for (grain calls, queueing on
/// the compute thread), and the slowest shard's update (pulling other silos' gradients, weight decay, Adam).
/// </summary>
[GenerateSerializer, Immutable, Alias("vaecf.StepTimings")]
public sealed record StepTimings(
    [property: Id(0)] double Step,
    [property: Id(1)] double Fetch,
    [property: Id(2)] double Compute,
    [property: Id(3)] double Other,
    [property: Id(4)] double Apply)
{
    /// <summary>No step yet.</summary>
    public static StepTimings None { get; } = new(0, 0, 0, 0, 0);
}
