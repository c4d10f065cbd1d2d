namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>The next update: its number, its β, the shard versions workers must read, and the last update's cost.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.StepTicket")]
public sealed record StepTicket(
    [property: Id(0)] long Step,
    [property: Id(1)] double Beta,
    [property: Id(2)] long[] ShardVersions,
    [property: Id(3)] double LastApplyMilliseconds);
