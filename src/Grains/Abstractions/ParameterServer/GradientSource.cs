namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>
/// A worker that had users in the current step: its index, its silo and how many gradient parts it pushed to each
/// shard. A shard on the same silo sums that worker's gradient by reference (with the silo's other workers'); a
/// shard elsewhere checks it received <paramref name="Parts"/>[shard] parts from it before applying the step.
/// </summary>
[GenerateSerializer, Immutable, Alias("vaecf.GradientSource")]
public sealed record GradientSource(
    [property: Id(0)] int Worker,
    [property: Id(1)] string Silo,
    [property: Id(2)] int[] Parts);
