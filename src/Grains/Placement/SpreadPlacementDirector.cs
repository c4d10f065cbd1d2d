using System.Globalization;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace VaeCfCluster.Grains.Placement;

/// <summary>Implements <see cref="SpreadPlacement"/>: the index after the key's last '/' picks the silo.</summary>
public sealed class SpreadPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        if (silos.Length == 0) throw new OrleansException($"No compatible silo for {target.GrainIdentity}.");
        return Task.FromResult(silos[IndexOf(target.GrainIdentity.Key.ToString()) % silos.Length]);
    }

    /// <summary>The index of a "jobId/index" key (0 when the key has none).</summary>
    public static int IndexOf(string key)
    {
        int slash = key.LastIndexOf('/');
        return slash >= 0 && int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : 0;
    }
}
