namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>A shard after an update: its version, Adam step count and how long the update took.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.ShardApplyResult")]
public sealed record ShardApplyResult(
    [property: Id(0)] long Version,
    [property: Id(1)] long StepCount,
    [property: Id(2)] double ApplyMilliseconds);
