namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>Shards to drive, the β schedule (JSON of the model library's <c>BetaScheduleOptions</c>) and the state to start from.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.ParameterServerSetup")]
public sealed record ParameterServerSetup(
    [property: Id(0)] int Generation,
    [property: Id(1)] int ShardCount,
    [property: Id(2)] string BetaScheduleJson,
    [property: Id(3)] long Step,
    [property: Id(4)] BetaState Beta,
    [property: Id(5)] long[] ShardVersions);
