using Orleans.Runtime;

namespace VaeCfCluster.Grains.Placement;

/// <summary>
/// Places grains keyed "jobId/index" round-robin over the active silos by index: index i goes to the
/// (i mod silos)-th silo in address order, so W workers land on min(W, silos) different silos, one or more each.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class SpreadPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static SpreadPlacement Instance { get; } = new();
}
