using VaeCfCluster.Client.Tests;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// Mutual TLS end to end on one shared cluster (<see cref="TlsClusterFixture"/>: two TLS silo processes with Redis
/// membership on loopback): a client with a certificate from the cluster's CA trains a job to the end; a client
/// without a certificate, with another CA's certificate, or trusting another CA is refused in one line.
/// </summary>
public sealed class TlsClusterTests(TlsClusterFixture cluster) : IClassFixture<TlsClusterFixture>
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [RequiresRedisServerFact(Timeout = 150_000)]
    public async Task TlsCluster_ClientWithClusterCertificate_TrainsOnTwoSilos()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        await cluster.EnsureStartedAsync(cts.Token);
        var csv = PlantedCsv.Write(cluster.Folder);
        var output = Path.Combine(cluster.Folder, "out");

        var train = VaecfProcess.Run(cluster.Folder, ["train", "--cluster", cluster.RedisAddress, "--cluster-id", TlsClusterFixture.ClusterId,
            "--job", "tls", "--data", csv, "--format", "csv", "--epochs", "2", "--batch-size", "64", "--heldout-users", "40",
            "--hidden", "32", "--latent", "8", "--threads", "1", "--out", output, .. cluster.ClientTls]);

        Assert.True(train.ExitCode == 0, $"{train.StandardError}\n{cluster.SiloOutput}");
        Assert.Contains("over mutual TLS", train.StandardError);
        Assert.Contains("2 silo(s), 2 worker(s)", train.StandardError);
        Assert.True(File.Exists(Path.Combine(output, "model.vaecf")));
    }

    [RequiresRedisServerFact(Timeout = 150_000)]
    public async Task TlsCluster_ClientWithoutCertificate_IsRefusedWithAHintInOneLine()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        await cluster.EnsureStartedAsync(cts.Token);

        var result = VaecfProcess.Run(cluster.Folder, "status", "--cluster", cluster.Gateway, "--cluster-id", TlsClusterFixture.ClusterId, "--job", "tls");

        AssertOneLineRefusal(result, $"error: --cluster {cluster.Gateway}: no gateway answered within 15 s",
            "the gateway closed the connection: if the cluster requires TLS, connect with --tls-cert, --tls-key and --tls-ca");
    }

    [RequiresRedisServerFact(Timeout = 150_000)]
    public async Task TlsCluster_ClientCertificateFromAnotherCa_IsRefusedByTheGatewayInOneLine()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        await cluster.EnsureStartedAsync(cts.Token);
        var certificates = cluster.Certificates;

        var result = VaecfProcess.Run(cluster.Folder, "status", "--cluster", cluster.Gateway, "--cluster-id", TlsClusterFixture.ClusterId, "--job", "tls",
            "--tls-cert", certificates.OtherCertificate, "--tls-key", certificates.OtherKey, "--tls-ca", certificates.Ca);

        AssertOneLineRefusal(result, $"error: --cluster {cluster.Gateway}: the gateway refused this client's certificate 'CN=intruder' issued by 'CN=Other CA' (--tls-cert)",
            "the silos accept only certificates issued by their own CA");
        const string refusal = "TLS: refused a peer: certificate 'CN=intruder' issued by 'CN=Other CA' does not chain to the CA";
        Assert.True(await cluster.WaitForSiloOutputAsync(refusal, TimeSpan.FromSeconds(10), CancellationToken.None),
            $"no '{refusal}' in the silos' logs 10 s after the client was refused:\n{cluster.SiloOutput}");
    }

    [RequiresRedisServerFact(Timeout = 150_000)]
    public async Task TlsCluster_ClientTrustingAnotherCa_RefusesTheGatewayInOneLine()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        await cluster.EnsureStartedAsync(cts.Token);
        var certificates = cluster.Certificates;

        var result = VaecfProcess.Run(cluster.Folder, "status", "--cluster", cluster.Gateway, "--cluster-id", TlsClusterFixture.ClusterId, "--job", "tls",
            "--tls-cert", certificates.OtherCertificate, "--tls-key", certificates.OtherKey, "--tls-ca", certificates.OtherCa);

        AssertOneLineRefusal(result, $"error: --cluster {cluster.Gateway}: refused the gateway's certificate: certificate 'CN=vaecf-silo' issued by 'CN=VaeCf Test CA' does not chain to the CA in '{certificates.OtherCa}'",
            "(--tls-ca); it is not a silo of the cluster that CA admits.");
    }

    private void AssertOneLineRefusal(VaecfProcess.Result result, string start, string end)
    {
        string all = $"exit {result.ExitCode}\n--- stderr\n{result.StandardError}\n{cluster.SiloOutput}";
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(result.ExitCode != 0 && lines.Length == 1, all);
        Assert.StartsWith(start, lines[0]);
        Assert.Contains(end, lines[0]);
        Assert.DoesNotContain("   at ", result.StandardError);
    }
}
