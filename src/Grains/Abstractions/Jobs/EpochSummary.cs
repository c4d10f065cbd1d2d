namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// One finished epoch of a cluster job (the cluster's form of the trainer's epoch record), with the bytes its steps
/// moved between silos and where their time went (<see cref="StepTime"/>: the steps' timings summed, milliseconds).
/// </summary>
[GenerateSerializer, Immutable, Alias("vaecf.EpochSummary")]
public sealed record EpochSummary(
    [property: Id(0)] int Epoch,
    [property: Id(1)] long Step,
    [property: Id(2)] double Loss,
    [property: Id(3)] double NegativeLogLikelihood,
    [property: Id(4)] double KlDivergence,
    [property: Id(5)] double Beta,
    [property: Id(6)] double ValidationNdcg100,
    [property: Id(7)] double Seconds,
    [property: Id(8)] double ValidationSeconds,
    [property: Id(9)] double UsersPerSecond,
    [property: Id(10)] long BytesSent,
    [property: Id(11)] StepTimings? StepTime = null);
