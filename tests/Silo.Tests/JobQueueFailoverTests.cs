using Orleans;
using Orleans.Runtime;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// The job queue across silo processes with one job slot (<c>Jobs:MaxConcurrent</c> = 1) and its state in Redis: when
/// the silo holding the running job (and perhaps the queue) dies, the job resumes on the other silo, taking its slot
/// back or, once the slot's lease ran out and the queued job got it, after that one; neither job is lost, and the
/// queue ends empty.
/// </summary>
public sealed class JobQueueFailoverTests : IDisposable
{
    private const string ClusterId = "queue-failover-test";
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-queue-failover-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RequiresRedisServerFact(Timeout = 300_000)]
    public async Task SiloHoldingTheRunningJob_Killed_BothJobsCompleteAndTheQueueEndsEmpty()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(290));
        await using var cluster = await RedisSiloCluster.StartAsync(ClusterId, silos: 2, cts.Token,
            extraSettings: new Dictionary<string, string?> { ["Jobs__MaxConcurrent"] = "1", ["Jobs__SlotLeaseSeconds"] = "5" },
            fastFailureDetection: true);
        await using var connection = await cluster.ConnectAsync(cts.Token);
        var split = PlantedSplit.Create(600, 40, 80, 4, seed: 3);
        var config = new AutoencoderConfig { ItemCount = 80, HiddenDims = [24], LatentDim = 8 };
        var options = new TrainerOptions { Epochs = 8, BatchSize = 25, Seed = 5, Beta = new BetaScheduleOptions { TotalAnnealSteps = 100 } };
        var first = new TrainingJobClient(connection.Client, "queue-first");
        var second = new TrainingJobClient(connection.Client, "queue-second");
        var data = SplitSerializer.Serialize(split);
        Assert.Equal(TrainingJobState.Starting, (await first.StartAsync(data, "planted", config, options, new ClusterSettings(), fresh: true, cts.Token)).State);
        var queued = await second.StartAsync(data, "planted", config, options with { Epochs = 2 }, new ClusterSettings(), fresh: true, cts.Token);
        Assert.Equal((TrainingJobState.Queued, 1), (queued.State, queued.QueuePosition));
        TrainingJobStatus status;
        do
        {
            await Task.Delay(100, cts.Token);
            status = await first.Job.GetStatusAsync();
        } while (status.History.Count < 1 && !status.IsFinished);
        Assert.False(status.IsFinished, "the job finished before the silo could be stopped; give it more work");
        Assert.Equal(TrainingJobState.Queued, (await second.Job.GetStatusAsync()).State);

        var host = await connection.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(first.Job)
                   ?? throw new InvalidOperationException("The job grain has no activation.");
        await cluster.KillAsync(cluster.SiloOnPort(host.Endpoint.Port));

        TrainingJobStatus[] both;
        try
        {
            both = await Task.WhenAll(first.WaitAsync(TimeSpan.FromMilliseconds(250), cancellationToken: cts.Token),
                second.WaitAsync(TimeSpan.FromMilliseconds(250), cancellationToken: cts.Token));
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{e.GetType().Name}: {e.Message}\nsurviving silo:\n{cluster.Outputs}");
        }
        Assert.All(both, s => Assert.True(s.State == TrainingJobState.Completed, $"{s.JobId} {s.State}: {s.Error}\n{cluster.Outputs}"));
        Assert.True(both[0].Resumed);
        Assert.Equal(Enumerable.Range(1, 8), both[0].History.Select(h => h.Epoch));
        var queue = await connection.Client.GetGrain<IJobQueueGrain>(IJobQueueGrain.Key).GetQueueAsync();
        Assert.Empty(queue.Running);
        Assert.Empty(queue.Queued);
    }
}
