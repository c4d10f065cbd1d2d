namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>A shard after an update: its version, Adam step count, how long the update took and the gradient bytes it pulled from other silos.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.ShardApplyResult")]
public sealed record ShardApplyResult(
    [property: Id(0)] long Version,
    [property: Id(1)] long StepCount,
    [property: Id(2)] double ApplyMilliseconds,
    [property: Id(3)] long BytesReceived);
