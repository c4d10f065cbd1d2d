using Orleans;
using Orleans.Runtime;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// A RecVAE job survives the death of a silo process that holds a worker and parameter shards mid-epoch: it goes back
/// to its last checkpoint on the silo that is left, whose new replica takes the prior's copy of the encoder at the next
/// epoch's first step, and ends with the single-process trainer's model.
/// </summary>
public sealed class RecVaeFailoverTests
{
    private const string ClusterId = "recvae-failover-test";

    [RequiresRedisServerFact(Timeout = 300_000)]
    public async Task WorkerAndShardSilo_KilledMidEpoch_JobResumesAndEndsWithTheSingleProcessModel()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(290));
        var split = PlantedSplit.Create(600, 40, 80, 4, seed: 3);
        var options = new RecVaeOptions { Hidden = 24, Latent = 8, EncoderLayers = 2, BatchSize = 25, Epochs = 6, Seed = 5 };
        TorchSharp.torch.set_num_threads(1);
        using var single = new RecVaeTrainer(options).Train(split);
        double reference = single.Test[RankingMetric.Ndcg(100)].Mean;

        await using var cluster = await RedisSiloCluster.StartAsync(ClusterId, silos: 2, cts.Token, fastFailureDetection: true);
        await using var connection = await cluster.ConnectAsync(cts.Token);
        var job = new TrainingJobClient(connection.Client, "recvae-failover");
        await job.StartRecVaeAsync(SplitSerializer.Serialize(split), "planted", split.ItemCount, options, new ClusterSettings(), fresh: true, cts.Token);
        TrainingJobStatus status;
        do
        {
            await Task.Delay(50, cts.Token);
            status = await job.Job.GetStatusAsync();
        } while ((status.History.Count < 1 || status.Batch < 10) && !status.IsFinished);
        Assert.False(status.IsFinished, "the job finished before the silo could be stopped; give it more work");
        Assert.Equal(2, status.Silos);

        var host = await connection.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(job.Job)
                   ?? throw new InvalidOperationException("The job grain has no activation.");
        await cluster.KillAsync(cluster.Silos.Single(s => s.SiloPort != host.Endpoint.Port));

        var final = await job.WaitAsync(TimeSpan.FromMilliseconds(250), cancellationToken: cts.Token);
        Assert.True(final.State == TrainingJobState.Completed, $"{final.State}: {final.Error}\n{cluster.Outputs}");
        Assert.True(final.Resumed);
        Assert.Equal(1, final.Silos);
        Assert.Equal(Enumerable.Range(1, options.Epochs), final.History.Select(h => h.Epoch));
        // Within a tolerance, not to rounded digits (two values 1e-6 apart can round apart): the cluster sums gradients in
        // another order than the single process (its parameters agree to about 1e-5, tests/Cluster.Tests/RecVaeClusterTests),
        // and how much of the run had two silos depends on the kill point. 1e-4, the tolerance KillAnythingSoakTests and
        // MultiProcessTrainingTests give the same comparison.
        Assert.Equal(reference, final.Test.Single(t => t.Name == "NDCG@100").Mean, 1e-4);
    }
}
