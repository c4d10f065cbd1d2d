using System.Globalization;
using Orleans;
using Orleans.Runtime;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;
using VaeCfCluster.Silo.Tests.Support;
using Xunit.Abstractions;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// Kill anything: three silo processes on Redis (membership and job storage) train a job with a worker on every
/// silo; at seeded random steps the test kills the silo holding the job grain, then the one holding the parameter
/// shard, then one holding only a worker, starting a fresh silo after each kill. The job resumes from its checkpoint
/// each time, never loses a finished epoch, and ends with the single-process trainer's test NDCG@100.
/// </summary>
public sealed class KillAnythingSoakTests(ITestOutputHelper output) : IDisposable
{
    private const string ClusterId = "kill-anything";
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-kill-anything-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RequiresRedisServerFact(Timeout = 420_000)]
    public async Task JobGrainShardAndWorkerSilosKilled_JobCompletesWithTheUndisturbedModel()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(410));
        var split = PlantedSplit.Create(1200, 40, 120, 4, seed: 3);
        var config = new AutoencoderConfig { ItemCount = 120, HiddenDims = [24], LatentDim = 8 };
        var options = new TrainerOptions { Epochs = 40, BatchSize = 25, Seed = 5, Beta = new BetaScheduleOptions { TotalAnnealSteps = 100 } };
        // The undisturbed model: the single-process trainer, which the cluster equals (tests/Cluster.Tests).
        var reference = new Trainer(options with { Threads = 1 }).Train(split, config).Test[RankingMetric.Ndcg(100)].Mean;

        await using var cluster = await RedisSiloCluster.StartAsync(ClusterId, silos: 3, cts.Token, fastFailureDetection: true);
        var original = cluster.Silos.ToList();
        await using var connection = await cluster.ConnectAsync(cts.Token);
        var job = new TrainingJobClient(connection.Client, "soak");
        await job.StartAsync(SplitSerializer.Serialize(split), "planted", config, options,
            new ClusterSettings { Workers = 3, ParameterShards = 1, Evaluators = 3 }, fresh: true, cts.Token);

        var random = new Random(2026);
        long stepAtLastKill = 0;
        var kills = new List<string>();
        foreach (string role in new[] { "job grain", "parameter shard", "worker only" })
        {
            // A seeded random point: 5 to 40 steps after the job got going again, once an epoch is checkpointed (so
            // every kill sends the job back to a checkpoint, not to the start).
            int wait = random.Next(5, 41);
            var status = await WatchAsync(job, s => s.State == TrainingJobState.Training && s.Step >= stepAtLastKill + wait && s.History.Count >= 1,
                cts.Token);
            Assert.False(status.IsFinished, $"the job finished before the {role} kill; give it more epochs");
            int jobPort = await JobSiloPortAsync(connection.Client, job, cts.Token);
            int shardPort = PortOf(status.ShardSilos[0]);
            var victim = role switch
            {
                "job grain" => cluster.SiloOnPort(jobPort),
                "parameter shard" => cluster.SiloOnPort(shardPort),
                // Prefer a silo started during the test, so one of those the client first knew stays up.
                _ => cluster.Silos.Where(s => s.SiloPort != jobPort && s.SiloPort != shardPort).OrderBy(s => original.Contains(s)).First(),
            };
            kills.Add(string.Create(CultureInfo.InvariantCulture,
                $"{role}: silo port {victim.SiloPort} at step {status.Step} (epoch {status.History.Count + 1})"));
            stepAtLastKill = status.Step;
            await cluster.KillAsync(victim);
            await cluster.StartSiloAsync(cts.Token);

            // The job goes back to its last checkpoint and trains past the step it was killed at.
            var resumed = await WatchAsync(job, s => s.State == TrainingJobState.Training && s.Step > stepAtLastKill, cts.Token);
            stepAtLastKill = resumed.Step;
        }

        TrainingJobStatus final;
        try
        {
            final = await job.WaitAsync(TimeSpan.FromMilliseconds(250), cancellationToken: cts.Token);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{e.GetType().Name}: {e.Message}\n{string.Join("\n", kills)}\n{cluster.Outputs}");
        }
        Assert.True(final.State == TrainingJobState.Completed, $"{final.State}: {final.Error}\n{string.Join("\n", kills)}\n{cluster.Outputs}");
        Assert.True(final.Resumed);
        Assert.Equal(Enumerable.Range(1, options.Epochs), final.History.Select(h => h.Epoch));
        double ndcg = final.Test.Single(t => t.Name == "NDCG@100").Mean;
        foreach (var kill in kills) output.WriteLine(kill);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test NDCG@100 {ndcg:F6} after {kills.Count} kills, {reference:F6} undisturbed"));
        Assert.True(Math.Abs(ndcg - reference) <= 1e-4, $"test NDCG@100 {ndcg:F6} after {kills.Count} kills, {reference:F6} undisturbed\n{string.Join("\n", kills)}");

        // The model (written after the last resume) loads and checks out.
        string modelPath = Path.Combine(_folder, "model.vaecf");
        await job.DownloadModelAsync(modelPath, final.ModelLength, chunkBytes: 100_000);
        var model = ModelFile.Load(modelPath);
        model.Network.Dispose();
        Assert.Equal(final.BestEpoch, model.Summary.BestEpoch);
    }

    /// <summary>Most finished epochs any status has shown: a checkpoint holds them all, so no later status shows fewer.</summary>
    private int _epochsSeen;

    /// <summary>
    /// Polls the job's status until <paramref name="done"/>, riding out calls that fail while a silo is being replaced,
    /// and checks on every status that no finished epoch was lost (the status is saved after the epoch's checkpoint).
    /// </summary>
    private async Task<TrainingJobStatus> WatchAsync(TrainingJobClient job, Func<TrainingJobStatus, bool> done, CancellationToken cancel)
    {
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            try
            {
                var status = await job.Job.GetStatusAsync();
                Assert.True(status.History.Count >= _epochsSeen,
                    $"the job shows {status.History.Count} finished epochs after having shown {_epochsSeen}: a checkpoint was lost");
                _epochsSeen = status.History.Count;
                if (done(status) || status.IsFinished) return status;
            }
            catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
                                          or Orleans.Runtime.Messaging.ConnectionFailedException)
            {
                // The job's silo is gone and the cluster has not noticed yet.
            }
            await Task.Delay(100, cancel);
        }
    }

    /// <summary>The port of the silo holding the job grain, riding out calls through a gateway that was just replaced.</summary>
    private static async Task<int> JobSiloPortAsync(IClusterClient client, TrainingJobClient job, CancellationToken cancel)
    {
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            try
            {
                return (await client.GetGrain<IManagementGrain>(0).GetActivationAddress(job.Job))?.Endpoint.Port ?? -1;
            }
            catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
                                          or Orleans.Runtime.Messaging.ConnectionFailedException)
            {
                await Task.Delay(100, cancel);
            }
        }
    }

    /// <summary>The silo port in an address such as "127.0.0.1:11111@1234".</summary>
    private static int PortOf(string silo)
    {
        int colon = silo.LastIndexOf(':'), at = silo.IndexOf('@', colon + 1);
        return int.Parse(silo.AsSpan(colon + 1, (at < 0 ? silo.Length : at) - colon - 1), CultureInfo.InvariantCulture);
    }
}
