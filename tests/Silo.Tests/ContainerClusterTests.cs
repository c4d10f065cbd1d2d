using System.Globalization;
using System.Net;
using System.Text.Json;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using DotNet.Testcontainers.Networks;
using Orleans;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Client.Tests;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Silo.Health;
using VaeCfCluster.Silo.Tests.Support;
using Xunit.Abstractions;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// The deployed shape in containers on one podman (or Docker) network: Debian's redis-server and two silos of the
/// vaecf image, both built locally (<c>docker/build-offline.sh</c>). The <c>vaecf</c> client on the host trains
/// through Redis membership and reaches the silos at their container addresses (the bridge network is routed from
/// the host; no published ports). One silo is stopped mid-job; the job, whose state is in Redis, resumes on the
/// other and ends with the model of the single-process run (<c>--single-process</c>, the reference).
/// </summary>
public sealed class ContainerClusterTests(ITestOutputHelper output) : IDisposable
{
    private const string ClusterId = "container-cluster-test";
    private const string JobId = "containers";
    private const int HttpPort = 8080;
    private const int Epochs = 20;
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-containers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RequiresDockerFact(nameof(SiloFailoverTests) + "." + nameof(SiloFailoverTests.SiloHoldingTheJob_Killed_JobResumesOnTheOtherSiloAndCompletes),
        Timeout = 420_000)]
    public async Task TrainWithCluster_SiloContainerStoppedMidJob_CompletesWithTheSingleProcessTestNdcg()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(410));
        var ct = cts.Token;
        Assert.True(ContainerImages.Missing().Count == 0,
            $"images {ContainerImages.Silo} and {ContainerImages.Redis} are needed: build them with docker/build-offline.sh");

        await using INetwork network = new NetworkBuilder().WithName($"vaecf-test-{Guid.NewGuid():N}").Build();
        await network.CreateAsync(ct);
        await using IContainer redis = new ContainerBuilder(ContainerImages.Redis)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithNetwork(network)
            .WithNetworkAliases("redis")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("Ready to accept connections"))
            .Build();
        await ContainerStart.StartAsync(redis, ct);
        await using IContainer first = Silo(network);
        await using IContainer second = Silo(network);
        await Task.WhenAll(ContainerStart.StartAsync(first, ct), ContainerStart.StartAsync(second, ct));
        IContainer[] silos = [first, second];
        string cluster = $"redis://{redis.IpAddress}:6379";
        output.WriteLine($"redis {redis.Id[..12]} at {redis.IpAddress}; " +
                         $"silos {first.Id[..12]} at {first.IpAddress}, {second.Id[..12]} at {second.IpAddress}");

        var csv = PlantedCsv.Write(_folder, users: 1600, items: 120);
        string[] common = ["--data", csv, "--format", "csv", "--epochs", Epochs.ToString(CultureInfo.InvariantCulture), "--batch-size", "64",
            "--heldout-users", "40", "--hidden", "32", "--latent", "8", "--threads", "1"];
        var remoteOut = Path.Combine(_folder, "remote");
        Task<VaecfProcess.Result> training;
        // Two workers whatever the number of silos, so the run after the failover is the same computation. The watching
        // client connects first (an Orleans client takes seconds), then the job starts; once it has finished
        // two epochs (its checkpoint is in Redis), the silo that holds it is stopped.
        await using (var connection = await ClusterConnection.ConnectAsync(ClusterAddress.Parse(cluster), ClusterId, "vaecf", ct))
        {
            training = Task.Run(() => VaecfProcess.Run(_folder,
                ["train", "--cluster", cluster, "--cluster-id", ClusterId, "--job", JobId, "--workers", "2", .. common, "--out", remoteOut]), ct);
            var job = new TrainingJobClient(connection.Client, JobId);
            TrainingJobStatus status;
            do
            {
                await Task.Delay(100, ct);
                if (training.IsCompleted) Assert.Fail($"vaecf train ended early:\n{training.Result.StandardError}");
                status = await job.Job.GetStatusAsync();
            } while (status.History.Count < 2 && !status.IsFinished);
            Assert.False(status.IsFinished,
                $"the job ended ({status.State}, epoch {status.History.Count} of {Epochs}: {status.Error}) before a silo could be stopped");
            var host = await connection.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(job.Job)
                       ?? throw new InvalidOperationException("The job grain has no activation.");
            var victim = silos.Single(s => IPAddress.Parse(s.IpAddress).Equals(host.Endpoint.Address));
            output.WriteLine($"stopping silo {victim.Id[..12]} ({victim.IpAddress}), which holds job {JobId}, " +
                             $"after epoch {status.History.Count} of {Epochs}");
            await victim.StopAsync(ct);
        }

        var remote = await training;
        Assert.True(remote.ExitCode == 0, $"{remote.StandardError}\n{await LogsAsync(silos)}");
        Assert.Contains("2 silo(s), 2 worker(s)", remote.StandardError);
        var local = VaecfProcess.Run(_folder, ["train", "--single-process", .. common, "--out", Path.Combine(_folder, "local")]);
        Assert.True(local.ExitCode == 0, local.StandardError);

        using var remoteMetrics = Metrics(remoteOut);
        using var localMetrics = Metrics(Path.Combine(_folder, "local"));
        double remoteNdcg = TestNdcg(remoteMetrics), localNdcg = TestNdcg(localMetrics);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"test NDCG@100: containers {remoteNdcg:F6} (cluster {remoteMetrics.RootElement.GetProperty("cluster")}), single process {localNdcg:F6}"));
        output.WriteLine(remote.StandardOutput);
        Assert.Equal(1, remoteMetrics.RootElement.GetProperty("cluster").GetProperty("Silos").GetInt32());
        Assert.Equal(localNdcg, remoteNdcg, 1e-6);
    }

    private static IContainer Silo(INetwork network) =>
        new ContainerBuilder(ContainerImages.Silo)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithNetwork(network)
            .WithEnvironment("Silo__Clustering", "Redis")
            .WithEnvironment("Silo__RedisConnectionString", "redis:6379")
            .WithEnvironment("Silo__ClusterId", ClusterId)
            .WithEnvironment("Silo__HttpPort", HttpPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Storage__Provider", "Redis")
            .WithEnvironment("Storage__RedisConnectionString", "redis:6379")
            .WithEnvironment("Torch__Threads", "1")
            .WithWaitStrategy(Wait.ForUnixContainer().AddCustomWaitStrategy(new ReadyAtContainerAddress()))
            .Build();

    private static async Task<string> LogsAsync(IEnumerable<IContainer> silos)
    {
        var logs = new List<string>();
        foreach (var silo in silos)
        {
            var (stdout, stderr) = await silo.GetLogsAsync();
            logs.Add($"silo {silo.Id[..12]} ({silo.State}):\n{stdout}\n{stderr}");
        }
        return string.Join('\n', logs);
    }

    private static JsonDocument Metrics(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));

    private static double TestNdcg(JsonDocument metrics) =>
        metrics.RootElement.GetProperty("test").GetProperty("NDCG@100").GetProperty("mean").GetDouble();

    /// <summary><c>/health/ready</c> answers 200 at the container's own address (reached through the bridge, unpublished).</summary>
    private sealed class ReadyAtContainerAddress : IWaitUntil
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

        public async Task<bool> UntilAsync(IContainer container)
        {
            try
            {
                using var response = await Http.GetAsync($"http://{container.IpAddress}:{HttpPort}{HealthEndpointExtensions.ReadyPath}");
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }
    }
}
