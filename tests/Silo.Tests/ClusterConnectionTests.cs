using System.Diagnostics;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>The client connector when nothing answers at the <c>--cluster</c> address.</summary>
public sealed class ClusterConnectionTests
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    [Fact(Timeout = 30_000)]
    public async Task ConnectAsync_NoGatewayListening_FailsWithOneClearMessageAfterTheTimeout()
    {
        // Held without a listener: connections are refused, and nothing started meanwhile can answer there.
        using var port = FreePorts.Reserve();
        var value = $"127.0.0.1:{port.Port}";
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ClusterUnavailableException>(() =>
            ClusterConnection.ConnectAsync(ClusterAddress.Parse(value), "vaecf", "vaecf", ConnectTimeout, CancellationToken.None));

        Assert.StartsWith($"--cluster {value}: no gateway answered within 2 s", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        // At least the timeout; the upper bound allows for a busy machine (starting the client and its retries) while
        // still catching a connector that retries long past the timeout.
        Assert.InRange(clock.Elapsed, ConnectTimeout - TimeSpan.FromMilliseconds(100), ConnectTimeout + TimeSpan.FromSeconds(20));
    }

    [Fact(Timeout = 30_000)]
    public async Task ConnectAsync_RedisNotAnswering_FailsNamingTheRedisAddress()
    {
        using var port = FreePorts.Reserve();
        var value = $"redis://127.0.0.1:{port.Port}";

        var e = await Assert.ThrowsAsync<ClusterUnavailableException>(() =>
            ClusterConnection.ConnectAsync(ClusterAddress.Parse(value), "vaecf", "vaecf", ConnectTimeout, CancellationToken.None));

        Assert.StartsWith($"--cluster {value}: no gateway answered within 2 s", e.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task ConnectAsync_CancelledByCaller_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ClusterConnection.ConnectAsync(
            ClusterAddress.Parse($"127.0.0.1:{FreePorts.Take()}"), "vaecf", "vaecf", TimeSpan.FromSeconds(20), cts.Token));
    }
}
