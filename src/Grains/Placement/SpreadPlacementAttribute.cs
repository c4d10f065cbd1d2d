using Orleans.Placement;

namespace VaeCfCluster.Grains.Placement;

/// <summary>Marks a grain class for <see cref="SpreadPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SpreadPlacementAttribute() : PlacementAttribute(SpreadPlacement.Instance);
