using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Silo.Hosting;

namespace VaeCfCluster.Silo.Health;

/// <summary>
/// Tracks whether this silo is an active member of its cluster: ready from the silo lifecycle's Active stage
/// (membership joined, grains placeable) until shutdown begins. Backs <c>/health/ready</c>, and logs the settings the
/// silo starts with.
/// </summary>
internal sealed class SiloReadiness : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ILocalSiloDetails _silo;
    private readonly SiloHostingOptions _hosting;
    private readonly IOptions<ClusterOptions> _cluster;
    private readonly IOptions<JobStorageOptions> _storage;
    private readonly ILogger<SiloReadiness> _logger;
    private volatile bool _ready;

    public SiloReadiness(ILocalSiloDetails silo, IOptions<SiloHostingOptions> hosting, IOptions<ClusterOptions> cluster,
        IOptions<JobStorageOptions> storage, ILogger<SiloReadiness> logger)
    {
        _silo = silo;
        _hosting = hosting.Value;
        _cluster = cluster;
        _storage = storage;
        _logger = logger;
    }

    /// <summary>True while the silo is an active cluster member.</summary>
    public bool IsReady => _ready;

    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(SiloReadiness), ServiceLifecycleStage.First, OnStarting, static _ => Task.CompletedTask);
        lifecycle.Subscribe(nameof(SiloReadiness), ServiceLifecycleStage.Active, OnActive, OnLeaving);
    }

    private Task OnStarting(CancellationToken cancellationToken)
    {
        var h = _hosting;
        string membership = h.Clustering == ClusteringMode.Localhost
            ? string.IsNullOrWhiteSpace(h.PrimarySiloEndpoint) ? " (primary silo)" : $" (primary silo {h.PrimarySiloEndpoint})"
            : $" (Redis {ConfigurationOptions.Parse(h.RedisConnectionString!).ToString(includePassword: false)})";
        var cluster = _cluster.Value;
        Log.Starting(_logger, h.Clustering, membership, cluster.ClusterId, cluster.ServiceId, h.SiloPort, h.GatewayPort, h.HttpPort,
            h.ListensOnLoopbackOnly ? "loopback" : "all interfaces", Path.GetFullPath(_storage.Value.Directory));
        return Task.CompletedTask;
    }

    private Task OnActive(CancellationToken cancellationToken)
    {
        _ready = true;
        Log.Ready(_logger, _silo.SiloAddress.ToString(), _cluster.Value.ClusterId);
        return Task.CompletedTask;
    }

    private Task OnLeaving(CancellationToken cancellationToken)
    {
        _ready = false;
        Log.Leaving(_logger, _silo.SiloAddress.ToString());
        return Task.CompletedTask;
    }
}
