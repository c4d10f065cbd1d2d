namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>The automatic β mode's memory (as in checkpoints).</summary>
[GenerateSerializer, Immutable, Alias("vaecf.BetaState")]
public sealed record BetaState(
    [property: Id(0)] double? FrozenBeta,
    [property: Id(1)] double BestMetric,
    [property: Id(2)] double BetaAtBest,
    [property: Id(3)] int EpochsSinceBest)
{
    /// <summary>No history.</summary>
    public static BetaState Initial { get; } = new(null, -1.0, 0, 0);
}
