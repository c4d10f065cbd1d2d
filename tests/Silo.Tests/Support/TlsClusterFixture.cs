namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// One Redis server and two <c>vaecf-silo</c> processes with <c>Tls:Enabled</c> (certificates from
/// <see cref="TestCertificates"/>), shared by the tests of a class and started by the first test that asks, so a
/// skipped test (no redis-server) starts nothing.
/// </summary>
public sealed class TlsClusterFixture : IAsyncLifetime
{
    public const string ClusterId = "tls-cluster";

    private readonly SemaphoreSlim _starting = new(1, 1);
    private RedisServer? _redis;
    private SiloProcess? _first;
    private SiloProcess? _second;

    internal TestCertificates Certificates { get; } = TestCertificates.Create();

    public string Folder { get; } = Directory.CreateTempSubdirectory("vaecf-tls-cluster-").FullName;

    /// <summary>The Redis membership address for <c>--cluster</c>.</summary>
    public string RedisAddress => $"redis://{_redis!.ConnectionString}";

    /// <summary>The first silo's gateway, for <c>--cluster</c>.</summary>
    public string Gateway => $"127.0.0.1:{_first!.GatewayPort}";

    /// <summary>Both silos' output so far, for failure messages.</summary>
    public string SiloOutput => $"first silo:\n{_first?.Output}\nsecond silo:\n{_second?.Output}";

    /// <summary>
    /// Waits until either silo's output holds <paramref name="text"/>, for at most <paramref name="timeout"/>; returns
    /// whether it does (a silo's log line comes through a pipe, some time after what the client saw).
    /// </summary>
    public async Task<bool> WaitForSiloOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!SiloOutput.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50, cancellationToken);
        }
        return true;
    }

    /// <summary>The client options of a certificate the cluster's CA issued.</summary>
    public string[] ClientTls =>
        ["--tls-cert", Certificates.ClientCertificate, "--tls-key", Certificates.ClientKey, "--tls-ca", Certificates.Ca];

    /// <summary>Starts Redis and both silos once; later calls return at once.</summary>
    public async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        await _starting.WaitAsync(cancellationToken);
        try
        {
            if (_first is not null) return;
            _redis = await RedisServer.StartAsync(cancellationToken);
            var settings = RedisSiloSettings.For(_redis, ClusterId, jobsFolder: Path.Combine(Folder, "jobs"));
            foreach (var (key, value) in Certificates.SiloSettings()) settings[key] = value;
            (_first, _second) = await RedisClusterTests.StartBothAsync(settings, cancellationToken);
        }
        finally
        {
            _starting.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_first is not null) await _first.DisposeAsync();
        if (_second is not null) await _second.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        Certificates.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        _starting.Dispose();
    }
}
