namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>Shards to drive and the state to start from.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.ParameterServerSetup")]
public sealed record ParameterServerSetup(
    [property: Id(0)] int Generation,
    [property: Id(1)] int ShardCount,
    [property: Id(2)] long Step,
    [property: Id(3)] long[] ShardVersions);
