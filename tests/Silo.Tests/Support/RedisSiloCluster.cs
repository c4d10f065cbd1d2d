using VaeCfCluster.Client.Cluster;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// A test's own cluster on loopback: a Redis server for membership (and for job storage, unless a jobs folder is given)
/// and silo processes, started together. Silos can be stopped (killed) and started during the test. Disposing stops
/// the silos first, then Redis.
/// </summary>
internal sealed class RedisSiloCluster : IAsyncDisposable
{
    /// <summary>How long a silo may take to answer <c>/health/ready</c>.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<SiloProcess> _silos;

    private RedisSiloCluster(RedisServer redis, string clusterId, Dictionary<string, string?> settings, List<SiloProcess> silos)
    {
        Redis = redis;
        ClusterId = clusterId;
        Settings = settings;
        _silos = silos;
    }

    /// <summary>The cluster's Redis server.</summary>
    public RedisServer Redis { get; }

    /// <summary>The Orleans cluster id.</summary>
    public string ClusterId { get; }

    /// <summary>The silo processes' environment settings.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The silos running now, in the order they were started.</summary>
    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>The cluster's address as <c>vaecf --cluster</c> takes it.</summary>
    public string Address => $"redis://{Redis.ConnectionString}";

    /// <summary>Every running silo's output so far, for failure messages.</summary>
    public string Outputs => string.Join("\n", _silos.Select(s => s.Output));

    /// <summary>
    /// Starts Redis and <paramref name="silos"/> silo processes of cluster <paramref name="clusterId"/>
    /// (<see cref="RedisSiloSettings.For"/>, then <paramref name="extraSettings"/>) and waits until every silo is ready.
    /// A test that kills silos asks for <paramref name="fastFailureDetection"/>
    /// (<see cref="RedisSiloSettings.FastFailureDetection"/>); the others keep Orleans's failure detection.
    /// </summary>
    public static async Task<RedisSiloCluster> StartAsync(string clusterId, int silos, CancellationToken cancellationToken,
        string? jobsFolder = null, IReadOnlyDictionary<string, string?>? extraSettings = null, bool fastFailureDetection = false)
    {
        var redis = await RedisServer.StartAsync(cancellationToken);
        try
        {
            var settings = RedisSiloSettings.For(redis, clusterId, jobsFolder, fastFailureDetection);
            foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>()) settings[key] = value;
            var started = await SiloProcess.StartAllReadyAsync(settings, silos, ReadyTimeout, cancellationToken);
            return new RedisSiloCluster(redis, clusterId, settings, [.. started]);
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client connection to the cluster through Redis.</summary>
    public Task<ClusterConnection> ConnectAsync(CancellationToken cancellationToken) =>
        ClusterConnection.ConnectAsync(ClusterAddress.Parse(Address), ClusterId, "vaecf", cancellationToken);

    /// <summary>Starts one more silo and waits until it is ready.</summary>
    public async Task<SiloProcess> StartSiloAsync(CancellationToken cancellationToken)
    {
        var silo = await SiloProcess.StartReadyAsync(Settings, ReadyTimeout, cancellationToken);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Kills <paramref name="silo"/> (no graceful shutdown: the cluster must notice it is gone).</summary>
    public async Task KillAsync(SiloProcess silo)
    {
        if (!_silos.Remove(silo)) throw new ArgumentException($"Silo on port {silo.SiloPort} is not running in this cluster.", nameof(silo));
        await silo.DisposeAsync();
    }

    /// <summary>The silo whose silo port is <paramref name="port"/>.</summary>
    public SiloProcess SiloOnPort(int port) => _silos.Single(s => s.SiloPort == port);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos) await silo.DisposeAsync();
        _silos.Clear();
        await Redis.DisposeAsync();
    }
}
