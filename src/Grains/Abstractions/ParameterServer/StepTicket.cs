namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>The next update: its number, the shard versions workers must read, and the last update's cost (slowest shard).</summary>
[GenerateSerializer, Immutable, Alias("vaecf.StepTicket")]
public sealed record StepTicket(
    [property: Id(0)] long Step,
    [property: Id(1)] long[] ShardVersions,
    [property: Id(2)] double LastApplyMilliseconds);
