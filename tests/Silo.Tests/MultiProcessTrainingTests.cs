using System.Globalization;
using System.Text.Json;
using VaeCfCluster.Client.Tests;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// The whole system as separate processes on loopback: a Redis server, two <c>vaecf-silo</c> processes and the
/// <c>vaecf</c> client submitting a training job with <c>--cluster</c>.
/// </summary>
public sealed class MultiProcessTrainingTests : IDisposable
{
    private const string ClusterId = "multi-process-training";
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-multiprocess-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RequiresRedisServerFact(Timeout = 300_000)]
    public async Task TrainWithCluster_TwoSiloProcesses_CompletesAndItsModelEvaluatesLikeTheInProcessOne()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(290));
        await using var cluster = await RedisSiloCluster.StartAsync(ClusterId, silos: 2, cts.Token, jobsFolder: Path.Combine(_folder, "jobs"));

        var csv = PlantedCsv.Write(_folder);
        string[] common = ["--data", csv, "--format", "csv", "--epochs", "3", "--batch-size", "64", "--heldout-users", "40",
            "--hidden", "32", "--latent", "8", "--threads", "1"];
        var remoteOut = Path.Combine(_folder, "remote");
        var remote = VaecfProcess.Run(_folder, ["train", "--cluster", cluster.Address, "--cluster-id", ClusterId, "--job", "two-silos", .. common, "--out", remoteOut]);
        Assert.True(remote.ExitCode == 0, $"{remote.StandardError}\nsilos:\n{cluster.Outputs}");
        Assert.Contains("2 silo(s), 2 worker(s)", remote.StandardError);

        var localOut = Path.Combine(_folder, "local");
        var local = VaecfProcess.Run(_folder, ["train", .. common, "--workers", "2", "--out", localOut]);
        Assert.True(local.ExitCode == 0, local.StandardError);

        double remoteNdcg = TestNdcg(remoteOut), localNdcg = TestNdcg(localOut);
        Assert.Equal(localNdcg, remoteNdcg, 1e-6);
        var evaluate = VaecfProcess.Run(_folder, ["evaluate", "--model", Path.Combine(remoteOut, "model.vaecf"), "--data", csv,
            "--format", "csv", "--heldout-users", "40"]);
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        Assert.Contains(remoteNdcg.ToString("F4", CultureInfo.InvariantCulture), evaluate.StandardOutput);

        var status = VaecfProcess.Run(_folder, "status", "--cluster", cluster.Address, "--cluster-id", ClusterId,
            "--job", "two-silos");
        Assert.True(status.ExitCode == 0, status.StandardError);
        Assert.Contains("job two-silos", status.StandardOutput);
        Assert.Contains("completed", status.StandardOutput);
        var queue = VaecfProcess.Run(_folder, "status", "--cluster", cluster.Address, "--cluster-id", ClusterId);
        Assert.True(queue.ExitCode == 0, queue.StandardError);
        Assert.Contains("running: 0 of 2 job slot(s) in use", queue.StandardOutput);
        Assert.Contains("queued: 0 job(s)", queue.StandardOutput);
        var unknown = VaecfProcess.Run(_folder, "status", "--cluster", cluster.Address, "--cluster-id", ClusterId,
            "--job", "no-such-job");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no job 'no-such-job'", unknown.StandardError);
    }

    [RequiresRedisServerFact(Timeout = 300_000)]
    public async Task TrainWithCluster_ItemShardsOverTwoSiloProcesses_SameTestNdcgAsTheUnshardedSingleProcess()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(290));
        // Job storage in Redis: the shards' checkpoint parts go there from both silo processes.
        await using var cluster = await RedisSiloCluster.StartAsync(ClusterId + "-items", silos: 2, cts.Token);

        var csv = PlantedCsv.Write(_folder);
        string[] common = ["--data", csv, "--format", "csv", "--epochs", "3", "--batch-size", "64", "--heldout-users", "40",
            "--hidden", "32", "--latent", "8", "--threads", "1"];
        var remoteOut = Path.Combine(_folder, "item-shards");
        var remote = VaecfProcess.Run(_folder, ["train", "--cluster", cluster.Address, "--cluster-id", ClusterId + "-items",
            "--job", "item-shards", "--item-shards", "3", .. common, "--out", remoteOut]);
        Assert.True(remote.ExitCode == 0, $"{remote.StandardError}\nsilos:\n{cluster.Outputs}");
        Assert.Contains("3 item shard(s) on 2 silo(s)", remote.StandardError);
        Assert.Contains("item shards", cluster.Outputs);

        var singleOut = Path.Combine(_folder, "unsharded");
        var single = VaecfProcess.Run(_folder, ["train", "--single-process", .. common, "--out", singleOut]);
        Assert.True(single.ExitCode == 0, single.StandardError);
        Assert.Equal(Math.Round(TestNdcg(singleOut), 4), Math.Round(TestNdcg(remoteOut), 4));
        // Only the last epoch's and the best epoch's parts are left in the store.
        var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(remoteOut, "metrics.json"))).RootElement;
        int bestEpoch = metrics.GetProperty("bestEpoch").GetInt32();
        var parts = VaeCfCluster.Grains.Storage.RedisJobBlobStore.Connect(cluster.Redis.ConnectionString).Names("item-shards")
            .Where(VaeCfCluster.Model.Sharding.ItemShardPart.IsPartName).Order().ToArray();
        var expectedParts = new[] { 3, bestEpoch }.Distinct().SelectMany(e => Enumerable.Range(0, 3).Select(p => $"itemshard-e{e}-{p}of3.vaecf")).Order();
        Assert.Equal(expectedParts, parts);
        // The job put model.vaecf together from the shards' best parts: it recommends what the single-process model does.
        string[] recommend = ["recommend", "--items", "item0,item3,item7,item41", "--top", "10", "--model"];
        var fromShards = VaecfProcess.Run(_folder, [.. recommend, Path.Combine(remoteOut, "model.vaecf")]);
        var fromOneProcess = VaecfProcess.Run(_folder, [.. recommend, Path.Combine(singleOut, "model.vaecf")]);
        Assert.True(fromShards.ExitCode == 0 && fromOneProcess.ExitCode == 0, fromShards.StandardError + fromOneProcess.StandardError);
        Assert.Equal(10, fromShards.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(fromOneProcess.StandardOutput, fromShards.StandardOutput);

        var status = VaecfProcess.Run(_folder, "status", "--cluster", cluster.Address, "--cluster-id", ClusterId + "-items",
            "--job", "item-shards");
        Assert.True(status.ExitCode == 0, status.StandardError);
        Assert.Contains("3 item shard(s) on 2 of 2 silo(s)", status.StandardOutput);
    }

    [Fact(Timeout = 60_000)]
    public async Task TrainWithCluster_NothingListening_OneClearLineAndNonZeroExit()
    {
        await Task.Yield();
        // Held bound without listening for the test: nothing can answer on it.
        using var reserved = FreePorts.Reserve();
        int port = reserved.Port;
        var result = VaecfProcess.Run(_folder, "train", "--cluster", $"127.0.0.1:{port}", "--epochs", "1");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"--cluster 127.0.0.1:{port}", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [RequiresRedisServerFact(Timeout = 300_000)]
    public async Task TrainRecVaeWithCluster_TwoSiloProcesses_SameModelAsTheSingleProcess()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(290));
        await using var cluster = await RedisSiloCluster.StartAsync(ClusterId + "-recvae", silos: 2, cts.Token, jobsFolder: Path.Combine(_folder, "jobs"));

        var csv = PlantedCsv.Write(_folder);
        string[] common = ["--data", csv, "--format", "csv", "--model", "recvae", "--epochs", "2", "--batch-size", "64", "--heldout-users", "40",
            "--hidden", "32", "--latent", "8", "--encoder-layers", "2", "--threads", "1"];
        var remoteOut = Path.Combine(_folder, "recvae-remote");
        var remote = VaecfProcess.Run(_folder, ["train", "--cluster", cluster.Address, "--cluster-id", ClusterId + "-recvae",
            "--job", "recvae", .. common, "--out", remoteOut]);
        Assert.True(remote.ExitCode == 0, $"{remote.StandardError}\nsilos:\n{cluster.Outputs}");
        Assert.Contains("on the cluster", remote.StandardError);
        Assert.Contains("2 silo(s), 2 worker(s)", remote.StandardError);
        Assert.Contains("RecVAE on 2 silos", cluster.Outputs);

        var localOut = Path.Combine(_folder, "recvae-local");
        var local = VaecfProcess.Run(_folder, ["train", .. common, "--out", localOut]);
        Assert.True(local.ExitCode == 0, local.StandardError);
        Assert.Contains("in this process", local.StandardError);

        double remoteNdcg = TestNdcg(remoteOut), localNdcg = TestNdcg(localOut);
        Assert.Equal(localNdcg, remoteNdcg, 1e-4);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(remoteOut, "metrics.json"))))
        {
            Assert.Equal(2, metrics.RootElement.GetProperty("history").GetArrayLength());
            Assert.Equal(2, metrics.RootElement.GetProperty("cluster").GetProperty("Workers").GetInt32());
        }
        Assert.Equal(2, File.ReadAllLines(Path.Combine(remoteOut, "training.jsonl")).Length);
        var evaluate = VaecfProcess.Run(_folder, ["evaluate", "--model", Path.Combine(remoteOut, "model.recvae"), "--data", csv,
            "--format", "csv", "--heldout-users", "40"]);
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        Assert.Contains(remoteNdcg.ToString("F4", CultureInfo.InvariantCulture), evaluate.StandardOutput);
    }

    private static double TestNdcg(string folder)
    {
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        return metrics.RootElement.GetProperty("test").GetProperty("NDCG@100").GetProperty("mean").GetDouble();
    }
}
