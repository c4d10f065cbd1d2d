using System.Text.Json;
using Orleans;
using Orleans.Runtime;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// A job survives the death of the silo process that holds it: its state is in Redis (no shared volume), so once the
/// cluster declares the silo dead the job activates on the other one and continues from its last checkpoint.
/// </summary>
public sealed class SiloFailoverTests : IDisposable
{
    private const string ClusterId = "failover-test";
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-failover-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RequiresRedisServerFact(Timeout = 300_000)]
    public async Task SiloHoldingTheJob_Killed_JobResumesOnTheOtherSiloAndCompletes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(290));
        await using var cluster = await RedisSiloCluster.StartAsync(ClusterId, silos: 2, cts.Token, fastFailureDetection: true);
        await using var connection = await cluster.ConnectAsync(cts.Token);
        var split = PlantedSplit.Create(600, 40, 80, 4, seed: 3);
        var config = new AutoencoderConfig { ItemCount = 80, HiddenDims = [24], LatentDim = 8 };
        var options = new TrainerOptions { Epochs = 10, BatchSize = 25, Seed = 5, Beta = new BetaScheduleOptions { TotalAnnealSteps = 100 } };
        var job = new TrainingJobClient(connection.Client, "failover");
        await job.StartAsync(SplitSerializer.Serialize(split), "planted", config, options,
            new ClusterSettings(), fresh: true, cts.Token);
        TrainingJobStatus status;
        do
        {
            await Task.Delay(100, cts.Token);
            status = await job.Job.GetStatusAsync();
        } while (status.History.Count < 2 && !status.IsFinished);
        Assert.False(status.IsFinished, "the job finished before the silo could be stopped; give it more work");

        var host = await connection.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(job.Job)
                   ?? throw new InvalidOperationException("The job grain has no activation.");
        await cluster.KillAsync(cluster.SiloOnPort(host.Endpoint.Port));

        var final = await job.WaitAsync(TimeSpan.FromMilliseconds(250), cancellationToken: cts.Token);
        Assert.True(final.State == TrainingJobState.Completed, $"{final.State}: {final.Error}\n{cluster.Outputs}");
        Assert.True(final.Resumed);
        Assert.Equal(1, final.Silos);
        Assert.Equal(Enumerable.Range(1, 10), final.History.Select(h => h.Epoch));
        string modelPath = Path.Combine(_folder, "model.vaecf");
        await job.DownloadModelAsync(modelPath, final.ModelLength, chunkBytes: 100_000);
        var model = ModelFile.Load(modelPath);
        model.Network.Dispose();
        Assert.Equal(split.ItemIds, model.ItemIds);
        Assert.Equal(final.BestEpoch, model.Summary.BestEpoch);
    }
}
