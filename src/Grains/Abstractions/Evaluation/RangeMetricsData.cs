namespace VaeCfCluster.Grains.Abstractions.Evaluation;

/// <summary>Per-user metric values of users [Start, Start + count); NaN for users without held-out clicks.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.RangeMetricsData")]
public sealed record RangeMetricsData(
    [property: Id(0)] int Start,
    [property: Id(1)] string[] Metrics,
    [property: Id(2)] int[] FoldInCounts,
    [property: Id(3)] int[] HeldOutCounts,
    [property: Id(4)] double[][] Values,
    [property: Id(5)] double Seconds);
