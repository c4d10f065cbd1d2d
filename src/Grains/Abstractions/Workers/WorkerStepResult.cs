namespace VaeCfCluster.Grains.Abstractions.Workers;

/// <summary>Loss terms of a worker's slice, the silo it ran on, and what the step cost it.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.WorkerStepResult")]
public sealed record WorkerStepResult(
    [property: Id(0)] bool Ready,
    [property: Id(1)] double NegativeLogLikelihoodSum,
    [property: Id(2)] double KlDivergenceSum,
    [property: Id(3)] int Users,
    [property: Id(4)] string Silo,
    [property: Id(5)] long BytesFetched,
    [property: Id(6)] double ComputeMilliseconds,
    [property: Id(7)] double FetchMilliseconds,
    [property: Id(8)] long BytesPushed,
    [property: Id(9)] int[] PartsPerShard)
{
    /// <summary>The worker has no setup or data for the requested generation.</summary>
    public static WorkerStepResult NotReady { get; } = new(false, 0, 0, 0, "", 0, 0, 0, 0, []);
}
