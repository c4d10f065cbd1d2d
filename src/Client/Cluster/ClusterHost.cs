using VaeCfCluster.Grains.Hosting;

namespace VaeCfCluster.Client.Cluster;

/// <summary>The cluster a command talks to: an in-process one it started, or a remote one it connected to.</summary>
internal sealed class ClusterHost : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;

    private ClusterHost(IAsyncDisposable owner, IGrainFactory grains, string description)
    {
        _owner = owner;
        Grains = grains;
        Description = description;
    }

    /// <summary>Grain references into the cluster.</summary>
    public IGrainFactory Grains { get; }

    /// <summary>What the cluster is, for logs.</summary>
    public string Description { get; }

    /// <summary>Starts a one-silo cluster in this process with job storage in <paramref name="storage"/>.</summary>
    public static async Task<ClusterHost> StartLocalAsync(string storage, int threads, string device, TextWriter log, CancellationToken cancellationToken)
    {
        log.WriteLine($"cluster: starting an in-process silo (job storage {Path.GetFullPath(storage)}, device {device}; its log: {Path.Combine(Path.GetFullPath(storage), "silo.log")})");
        var cluster = await InProcessCluster.StartAsync(storage, threads, device, cancellationToken);
        return new ClusterHost(cluster, cluster.GrainFactory, "the in-process cluster");
    }

    /// <summary>Connects to the cluster at <paramref name="address"/>.</summary>
    public static async Task<ClusterHost> ConnectAsync(ClusterAddress address, string clusterId, string serviceId, TlsCredentials? tls,
        TextWriter log, CancellationToken cancellationToken)
    {
        var connection = await ClusterConnection.ConnectAsync(address, clusterId, serviceId, tls, ClusterConnection.DefaultConnectTimeout, cancellationToken);
        log.WriteLine($"cluster: connected to {address.Text}{(tls is null ? "" : " over mutual TLS")}");
        return new ClusterHost(connection, connection.GrainFactory, address.Text);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _owner.DisposeAsync();
}
