using System.Net;
using VaeCfCluster.Silo.Health;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>The Kubernetes probes of a real <c>vaecf-silo</c> process.</summary>
public sealed class HealthEndpointTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);

    [Fact(Timeout = 60_000)]
    public async Task HealthEndpoints_RunningSilo_LiveAndReadyAnswer200()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var silo = await SiloProcess.StartReadyAsync(new Dictionary<string, string?>(), Timeout, cts.Token);

        Assert.Equal(HttpStatusCode.OK, await silo.GetStatusAsync(HealthEndpointExtensions.LivePath, cts.Token));
        Assert.Equal(HttpStatusCode.OK, await silo.GetStatusAsync(HealthEndpointExtensions.ReadyPath, cts.Token));
        // The silo is ready before it logs so, and the line comes through a pipe: wait for it a little.
        Assert.True(await silo.WaitForOutputAsync("joined cluster vaecf and is ready", TimeSpan.FromSeconds(10), cts.Token),
            $"no 'joined cluster vaecf and is ready' in the log 10 s after /health/ready answered 200:\n{silo.Output}");
    }

    [Fact(Timeout = 60_000)]
    public async Task HealthReady_SiloStillJoining_Answers503WhileLiveAnswers200()
    {
        // A secondary localhost silo whose primary does not exist keeps trying to join: alive, but not ready.
        using var cts = new CancellationTokenSource(Timeout);
        // The primary's port is held without a listener: connections are refused, and nothing started meanwhile can answer there.
        using var primary = FreePorts.Reserve();
        var settings = new Dictionary<string, string?> { ["Silo__PrimarySiloEndpoint"] = $"127.0.0.1:{primary.Port}" };
        await using var silo = await SiloProcess.StartLiveAsync(settings, Timeout, cts.Token);

        var ready = await silo.GetStatusAsync(HealthEndpointExtensions.ReadyPath, cts.Token);
        Assert.True(ready == HttpStatusCode.ServiceUnavailable, $"/health/ready answered {ready}\n{silo.Output}");
    }
}
