using VaeCfCluster.Client.Tests;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// Mutual TLS end to end: two <c>vaecf-silo</c> processes with <c>Tls:Enabled</c> and Redis membership on loopback,
/// certificates made by <see cref="TestCertificates"/>; a client with the cluster CA's certificate trains, others are
/// refused in one line.
/// </summary>
public sealed class TlsClusterTests : IDisposable
{
    private const string ClusterId = "tls-cluster";
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-tls-cluster-").FullName;
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public void Dispose()
    {
        _certificates.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [RequiresRedisServerFact(Timeout = 120_000)]
    public async Task TlsCluster_TwoSilos_TlsClientTrainsAndOutsidersAreRefused()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(115));
        await using var redis = await RedisServer.StartAsync(cts.Token);
        var settings = RedisSiloSettings.For(redis, ClusterId, jobsFolder: Path.Combine(_folder, "jobs"));
        foreach (var (key, value) in _certificates.SiloSettings()) settings[key] = value;
        var (first, second) = await RedisClusterTests.StartBothAsync(settings, cts.Token);
        await using var firstSilo = first;
        await using var secondSilo = second;
        string silos = $"first silo:\n{first.Output}\nsecond silo:\n{second.Output}";

        var csv = PlantedCsv.Write(_folder);
        string[] tls = ["--tls-cert", _certificates.ClientCertificate, "--tls-key", _certificates.ClientKey, "--tls-ca", _certificates.Ca];
        var train = VaecfProcess.Run(_folder, ["train", "--cluster", $"redis://{redis.ConnectionString}", "--cluster-id", ClusterId, "--job", "tls",
            "--data", csv, "--format", "csv", "--epochs", "2", "--batch-size", "64", "--heldout-users", "40", "--hidden", "32", "--latent", "8",
            "--threads", "1", "--out", Path.Combine(_folder, "out"), .. tls]);
        Assert.True(train.ExitCode == 0, $"{train.StandardError}\n{silos}");
        Assert.Contains("over mutual TLS", train.StandardError);
        Assert.Contains("2 silo(s), 2 worker(s)", train.StandardError);
        Assert.True(File.Exists(Path.Combine(_folder, "out", "model.vaecf")));

        string gateway = $"127.0.0.1:{first.GatewayPort}";
        var outsider = VaecfProcess.Run(_folder, "status", "--cluster", gateway, "--cluster-id", ClusterId, "--job", "tls",
            "--tls-cert", _certificates.OtherCertificate, "--tls-key", _certificates.OtherKey, "--tls-ca", _certificates.Ca);
        AssertOneLineRefusal(outsider, $"--cluster {gateway}: the gateway refused this client's certificate 'CN=intruder' issued by 'CN=Other CA' (--tls-cert)", silos);

        var otherCluster = VaecfProcess.Run(_folder, "status", "--cluster", gateway, "--cluster-id", ClusterId, "--job", "tls",
            "--tls-cert", _certificates.OtherCertificate, "--tls-key", _certificates.OtherKey, "--tls-ca", _certificates.OtherCa);
        AssertOneLineRefusal(otherCluster, $"--cluster {gateway}: refused the gateway's certificate: certificate 'CN=vaecf-silo' issued by 'CN=VaeCf Test CA'", silos);

        var plain = VaecfProcess.Run(_folder, "status", "--cluster", gateway, "--cluster-id", ClusterId, "--job", "tls");
        AssertOneLineRefusal(plain, "if the cluster requires TLS, connect with --tls-cert, --tls-key and --tls-ca", silos);
        Assert.Contains("refused a peer", first.Output);
    }

    private static void AssertOneLineRefusal(VaecfProcess.Result result, string expected, string silos)
    {
        string all = $"exit {result.ExitCode}\n--- stderr\n{result.StandardError}\n{silos}";
        Assert.True(result.ExitCode != 0, all);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal) && lines[0].Contains(expected, StringComparison.Ordinal), all);
    }
}
