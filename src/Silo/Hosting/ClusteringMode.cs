namespace VaeCfCluster.Silo.Hosting;

/// <summary>How a silo finds the other silos of its cluster (setting <c>Silo:Clustering</c>).</summary>
public enum ClusteringMode
{
    /// <summary>
    /// Development: in-memory membership on loopback. One process alone, or several on one machine where every
    /// silo but the first names the first in <see cref="SiloHostingOptions.PrimarySiloEndpoint"/>; the first must
    /// start before the others and the cluster dies with it.
    /// </summary>
    Localhost,

    /// <summary>
    /// Membership table in Redis (<see cref="SiloHostingOptions.RedisConnectionString"/>). Silos start in any order and
    /// any of them may leave; clients find gateways through the same Redis.
    /// </summary>
    Redis,

    /// <summary>
    /// Inside a Kubernetes pod: pod name, namespace and IP from the downward API (<c>POD_NAME</c>,
    /// <c>POD_NAMESPACE</c>, <c>POD_IP</c>), dead silos' pods removed from membership, and Redis as the membership
    /// table (Kubernetes hosting needs one).
    /// </summary>
    Kubernetes,
}
