using System.Net;

namespace VaeCfCluster.Silo.Hosting;

/// <summary>
/// Where a silo listens and how it joins its cluster. Bound from the "Silo" section: <c>appsettings.json</c>, then
/// environment variables (<c>Silo__Clustering=Redis</c>), then the command line (<c>--Silo:SiloPort=11112</c>).
/// Checked by <see cref="SiloHostingOptionsValidator"/> before the silo starts.
/// </summary>
public sealed class SiloHostingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Silo";

    /// <summary>Default of <see cref="ClusterId"/> and <see cref="ServiceId"/>.</summary>
    public const string DefaultId = "vaecf";

    /// <summary>Membership mode. Default <see cref="ClusteringMode.Localhost"/> (development, loopback only).</summary>
    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    /// <summary>
    /// StackExchange.Redis connection string of the membership table, e.g. "127.0.0.1:6379" or
    /// "redis:6379,password=...". Required when <see cref="Clustering"/> is Redis or Kubernetes; unused otherwise.
    /// No default.
    /// </summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>
    /// Name of this deployment of the cluster. Silos and clients join only a cluster with the same ClusterId and
    /// <see cref="ServiceId"/>; two clusters can share one Redis under different ids. Default "vaecf". In Kubernetes
    /// mode the <c>ORLEANS_CLUSTER_ID</c> environment variable, when set, wins.
    /// </summary>
    public string ClusterId { get; set; } = DefaultId;

    /// <summary>
    /// Name of the service, stable across deployments (Orleans keys persistent data by it). Default "vaecf". In
    /// Kubernetes mode the <c>ORLEANS_SERVICE_ID</c> environment variable, when set, wins.
    /// </summary>
    public string ServiceId { get; set; } = DefaultId;

    /// <summary>TCP port for silo-to-silo messages, 1-65535. Default 11111. Each silo on one host needs its own.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>TCP port clients connect to (the gateway), 1-65535. Default 30000. Each silo on one host needs its own.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>HTTP port of <c>/health/live</c> and <c>/health/ready</c>, 1-65535. Default 8080.</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>
    /// IP address other silos and clients use to reach this silo. Optional: by default Localhost mode uses 127.0.0.1,
    /// Kubernetes mode the pod IP and Redis mode an address of this host chosen by Orleans. The silo listens on all
    /// interfaces, except in Localhost mode or when this is a loopback address: then it listens on loopback only.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Localhost mode with several processes on one machine: "127.0.0.1:PORT", the <see cref="SiloPort"/> of the
    /// silo that started first and holds the in-memory membership. Empty (default) makes this silo the primary.
    /// Only valid in Localhost mode.
    /// </summary>
    public string? PrimarySiloEndpoint { get; set; }

    /// <summary>True when the silo and its HTTP endpoints listen on loopback only (see <see cref="AdvertisedAddress"/>).</summary>
    public bool ListensOnLoopbackOnly =>
        Clustering == ClusteringMode.Localhost
        || (IPAddress.TryParse(AdvertisedAddress, out var address) && IPAddress.IsLoopback(address));
}
