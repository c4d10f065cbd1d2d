namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>A ranking metric over held-out users: mean and standard error over the users evaluated.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.MetricValue")]
public sealed record MetricValue(
    [property: Id(0)] string Name,
    [property: Id(1)] double Mean,
    [property: Id(2)] double StandardError,
    [property: Id(3)] int Users);
