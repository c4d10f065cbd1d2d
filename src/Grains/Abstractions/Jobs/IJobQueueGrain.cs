using VaeCfCluster.Grains.Abstractions.Access;

namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// The cluster's job queue, read side (one grain per service, key <see cref="Key"/>): which jobs hold one of the
/// <c>Jobs:MaxConcurrent</c> slots and which wait, in submission order. Clients read it (<c>vaecf status</c>); job
/// grains take and give back slots through the internal <see cref="IJobSlotGrain"/> of the same grain.
/// </summary>
[ClientFacing]
public interface IJobQueueGrain : IGrainWithStringKey
{
    /// <summary>The one queue grain's key.</summary>
    public const string Key = "cluster";

    /// <summary>The jobs running and waiting now.</summary>
    Task<JobQueueSnapshot> GetQueueAsync();
}
