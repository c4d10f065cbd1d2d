namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>The job queue at one moment.</summary>
/// <param name="MaxConcurrent">Jobs that may run at once (<c>Jobs:MaxConcurrent</c>).</param>
/// <param name="Running">Jobs holding a slot, in the order they got it.</param>
/// <param name="Queued">Jobs waiting, first to start first (position = index + 1).</param>
[GenerateSerializer, Immutable, Alias("vaecf.JobQueueSnapshot")]
public sealed record JobQueueSnapshot(
    [property: Id(0)] int MaxConcurrent,
    [property: Id(1)] IReadOnlyList<string> Running,
    [property: Id(2)] IReadOnlyList<string> Queued);
