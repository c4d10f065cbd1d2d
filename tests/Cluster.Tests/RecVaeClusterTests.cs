using System.Text.Json;
using VaeCfCluster.Cluster.Tests.Support;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>
/// RecVAE trained on the three-silo cluster against the single-process <see cref="RecVaeTrainer"/>: same settings and
/// seed, W workers, S parameter shards cut between encoder and decoder. Both write the trainer's checkpoint after every
/// epoch; its weights, the prior's copy of the encoder, both optimizers' moments and step counts, and the pass counter
/// must agree.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RecVaeClusterTests(ThreeSiloCluster fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-recvae-cluster-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly RecVaeOptions Small = new() { Hidden = 32, Latent = 8, EncoderLayers = 3, BatchSize = 50, Epochs = 2, Seed = 11 };

    [Theory(Timeout = 180_000)]
    [InlineData(1, 2, true)]
    [InlineData(2, 3, true)]
    [InlineData(3, 5, true)]
    [InlineData(2, 4, false)]
    public async Task Train_WorkersAndShards_GiveTheSingleProcessModel(int workers, int shards, bool alternating)
    {
        var options = Small with { Alternating = alternating };
        var split = PlantedSplit.Create(230, 30, 90, 4, seed: 5);
        string singleCheckpoint = Path.Combine(_folder, $"single-{alternating}.recvae");
        // One LibTorch thread, as on the silos: some LibTorch kernels sum in an order that depends on the thread count.
        TorchSharp.torch.set_num_threads(1);
        using var single = new RecVaeTrainer(options).Train(split, checkpointPath: singleCheckpoint);

        string job = $"recvae-w{workers}-s{shards}-{(alternating ? "alt" : "joint")}";
        var status = await TrainAsync(job, split, options, new ClusterSettings { Workers = workers, ParameterShards = shards, Evaluators = 3, MaxChunkBytes = 4096 });

        Assert.Equal((workers, shards, 3), (status.Workers, status.ParameterShards, status.Silos));
        Assert.Equal("RecVAE", status.Model);
        Assert.False(status.AnnealsBeta);
        Assert.Equal(Math.Min(shards, 3), status.ShardSilos.Distinct().Count());
        var (expectedHeader, expected) = TensorFile.Read(singleCheckpoint);
        var (actualHeader, actual) = TensorFile.Read(Path.Combine(ClusterJobs.Folder(job), "checkpoint.vaecf"));
        foreach (var field in new[] { "Epoch", "Pass", "BestEpoch", "EncoderSteps", "DecoderSteps", "Settings" })
            Assert.Equal(expectedHeader.GetProperty(field).GetRawText(), actualHeader.GetProperty(field).GetRawText());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Contains(expected.Keys, k => k.StartsWith("prior.", StringComparison.Ordinal));
        foreach (var (name, tensor) in expected)
        {
            double worst = tensor.data<float>().ToArray().Zip(actual[name].data<float>().ToArray(), (x, y) => Math.Abs((double)x - y)).Max();
            Assert.True(worst <= 1e-5, $"{name}: largest difference {worst:E2} with {workers} workers and {shards} shards");
        }
        Assert.Equal(single.History.Select(h => h.ValidationNdcg100), status.History.Select(h => h.ValidationNdcg100),
            (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal(single.Test[RankingMetric.Ndcg(100)].Mean, status.Test.Single(t => t.Name == "NDCG@100").Mean, 4);

        // The job's model file is the trainer's: it loads and scores as the single process's best epoch.
        string model = Path.Combine(_folder, $"{job}.recvae");
        await new TrainingJobClient(fixture.Grains, job).DownloadModelAsync(model, status.ModelLength, 1 << 20);
        var (loaded, itemIds) = RecVaeModelFile.Load(model);
        using var _ = loaded;
        Assert.Equal(split.ItemIds, itemIds);
        Assert.Equal(single.Test[RankingMetric.Ndcg(100)].Mean, new RankingEvaluator().Evaluate(loaded, split.Test)[RankingMetric.Ndcg(100)].Mean, 4);
    }

    [Fact(Timeout = 180_000)]
    public async Task Train_EncoderAndDecoderShards_EachCountTheirOwnOptimizersSteps()
    {
        // Three encoder passes and one decoder pass per epoch: the decoder's Adam steps a third as often. A shard that
        // stepped in every pass (or counted every step) would give other moments and counts.
        var options = Small with { Epochs = 1, EncoderEpochs = 3, DecoderEpochs = 1 };
        var split = PlantedSplit.Create(230, 30, 90, 4, seed: 6);
        var status = await TrainAsync("recvae-steps", split, options, new ClusterSettings { Workers = 2, ParameterShards = 2, Evaluators = 2 });
        var (header, _) = TensorFile.Read(Path.Combine(ClusterJobs.Folder("recvae-steps"), "checkpoint.vaecf"));
        long batches = (split.Train.RowCount + options.BatchSize - 1) / options.BatchSize;
        Assert.Equal(3 * batches, header.GetProperty("EncoderSteps").GetInt64());
        Assert.Equal(batches, header.GetProperty("DecoderSteps").GetInt64());
        Assert.Equal(4 * batches, status.Batches);
        Assert.Equal(4 * batches, status.Step);
    }

    [Fact(Timeout = 240_000)]
    public async Task CancelledThenStartedAgain_EndsBitForBitLikeUninterruptedRun()
    {
        // The resumed generation's replicas are new: each must take the prior's copy of the encoder from the restored
        // encoder at the next epoch's first step, as the uninterrupted run's replicas did.
        var options = Small with { Epochs = 5, BatchSize = 20 };
        var split = PlantedSplit.Create(200, 30, 80, 4, seed: 7);
        var cluster = new ClusterSettings { Workers = 2, ParameterShards = 3 };
        await TrainAsync("recvae-straight", split, options, cluster);

        var client = new TrainingJobClient(fixture.Grains, "recvae-interrupted");
        var data = SplitSerializer.Serialize(split);
        await client.StartRecVaeAsync(data, "test", split.ItemCount, options, cluster, fresh: true);
        TrainingJobStatus status;
        do
        {
            await Task.Delay(20);
            status = await client.Job.GetStatusAsync();
        } while (status.History.Count < 2 && !status.IsFinished);
        await client.Job.CancelAsync();
        var cancelled = await client.Job.GetStatusAsync();
        Assert.Equal(TrainingJobState.Cancelled, cancelled.State);
        Assert.InRange(cancelled.History.Count, 2, 4);

        await client.StartRecVaeAsync(data, "test", split.ItemCount, options, cluster, fresh: false);
        var resumed = await client.WaitAsync(TimeSpan.FromMilliseconds(50));
        Assert.Equal(TrainingJobState.Completed, resumed.State);
        Assert.True(resumed.Resumed);
        Assert.Equal(5, resumed.History.Count);
        // Steps count on from the checkpoint: every update of the five epochs, as in the uninterrupted run.
        Assert.Equal(5 * 4 * ((split.Train.RowCount + options.BatchSize - 1) / options.BatchSize), resumed.Step);
        var (_, expected) = TensorFile.Read(Path.Combine(ClusterJobs.Folder("recvae-straight"), "checkpoint.vaecf"));
        var (_, actual) = TensorFile.Read(Path.Combine(ClusterJobs.Folder("recvae-interrupted"), "checkpoint.vaecf"));
        foreach (var (name, tensor) in expected)
            Assert.Equal(tensor.data<float>().ToArray(), actual[name].data<float>().ToArray());
    }

    private async Task<TrainingJobStatus> TrainAsync(string jobId, DataSplit split, RecVaeOptions options, ClusterSettings cluster)
    {
        var client = new TrainingJobClient(fixture.Grains, jobId);
        await client.StartRecVaeAsync(SplitSerializer.Serialize(split), "test", split.ItemCount, options, cluster, fresh: true);
        var status = await client.WaitAsync(TimeSpan.FromMilliseconds(100));
        Assert.True(status.State == TrainingJobState.Completed, $"Job {jobId} ended {status.State}: {status.Error}");
        return status;
    }
}
