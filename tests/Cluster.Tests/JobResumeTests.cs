using System.Text.Json;
using VaeCfCluster.Cluster.Tests.Support;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>A cancelled job started again continues from its last finished epoch and ends with the uninterrupted run's model.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JobResumeTests(ThreeSiloCluster fixture)
{
    [Theory(Timeout = 240_000)]
    [InlineData(0)]
    [InlineData(6)]
    public async Task CancelledThenStartedAgain_EndsBitForBitLikeUninterruptedRun(int neighbours)
    {
        var split = PlantedSplit.Create(400, 30, 80, 4, seed: 6);
        // With an item-item term the resumed job builds its neighbour index again and sends it to the new generation's grains.
        var config = new AutoencoderConfig { ItemCount = 80, HiddenDims = [24], LatentDim = 8, ItemNeighbours = neighbours, NeighbourWeightDecay = neighbours > 0 ? 0.01 : 0 };
        var options = new TrainerOptions { Epochs = 5, BatchSize = 20, Seed = 4, Beta = new BetaScheduleOptions { TotalAnnealSteps = 60 } };
        var cluster = new ClusterSettings { Workers = 2, ParameterShards = 2 };
        string straight = $"resume-straight-n{neighbours}", interrupted = $"resume-interrupted-n{neighbours}";
        await ClusterJobs.TrainAsync(fixture.Grains, straight, split, config, options, cluster);

        var client = new TrainingJobClient(fixture.Grains, interrupted);
        var data = SplitSerializer.Serialize(split);
        await StartThenCancelAfterTwoEpochsAsync(client, data, config, options, cluster);
        // A silo lost after storing an epoch's checkpoint but before its log line leaves the log an epoch behind.
        var log = Path.Combine(ClusterJobs.Folder(interrupted), "training.jsonl");
        File.WriteAllLines(log, File.ReadAllLines(log).SkipLast(1));

        await client.StartAsync(data, "test", config, options, cluster, fresh: false);
        var resumed = await client.WaitAsync(TimeSpan.FromMilliseconds(50));
        Assert.Equal(TrainingJobState.Completed, resumed.State);
        Assert.True(resumed.Resumed);
        Assert.Equal(5, resumed.History.Count);
        int[] loggedEpochs = [.. File.ReadAllLines(log).Select(line => System.Text.Json.Nodes.JsonNode.Parse(line)!["Epoch"]!.GetValue<int>())];
        Assert.Equal([1, 2, 3, 4, 5], loggedEpochs);

        var (_, expected) = TensorFile.Read(Path.Combine(ClusterJobs.Folder(straight), "checkpoint.vaecf"));
        var (_, actual) = TensorFile.Read(Path.Combine(ClusterJobs.Folder(interrupted), "checkpoint.vaecf"));
        Assert.Equal(neighbours > 0, expected.ContainsKey("param/neighbours.weight"));
        foreach (var (name, tensor) in expected)
            Assert.Equal(tensor.data<float>().ToArray(), actual[name].data<float>().ToArray());
    }

    [Fact(Timeout = 300_000)]
    public async Task ItemSharded_CancelledThenStartedAgain_RefusesOtherShardCountsThenEndsLikeUninterruptedRun()
    {
        var split = PlantedSplit.Create(400, 30, 300, 6, seed: 8);
        var config = new AutoencoderConfig { ItemCount = 300, HiddenDims = [24], LatentDim = 8 };
        var options = new TrainerOptions { Epochs = 5, BatchSize = 20, Seed = 5, Beta = new BetaScheduleOptions { TotalAnnealSteps = 60 } };
        var cluster = new ClusterSettings { ItemShards = 2 };
        var straight = await ClusterJobs.TrainAsync(fixture.Grains, "resume-items-straight", split, config, options, cluster);
        Assert.True(straight.State == TrainingJobState.Completed, straight.Error);

        var client = new TrainingJobClient(fixture.Grains, "resume-items-interrupted");
        var data = SplitSerializer.Serialize(split);
        await StartThenCancelAfterTwoEpochsAsync(client, data, config, options, cluster);

        // Another shard count cannot take over the shards' parts: refused in one line, naming both counts.
        await client.StartAsync(data, "test", config, options, cluster with { ItemShards = 3 }, fresh: false);
        var refused = await client.WaitAsync(TimeSpan.FromMilliseconds(50));
        Assert.Equal(TrainingJobState.Failed, refused.State);
        Assert.Contains("written with 2 item shards and this run has 3; resume with --item-shards 2", refused.Error);
        Assert.DoesNotContain('\n', refused.Error!);

        await client.StartAsync(data, "test", config, options, cluster, fresh: false);
        var resumed = await client.WaitAsync(TimeSpan.FromMilliseconds(50));
        Assert.True(resumed.State == TrainingJobState.Completed, resumed.Error);
        Assert.True(resumed.Resumed);
        Assert.Equal(5, resumed.History.Count);

        var (expected, _, _, _) = ShardedCheckpointReader.Read(Path.Combine(ClusterJobs.Folder("resume-items-straight"), "checkpoint.vaecf"), config);
        var (actual, _, _, _) = ShardedCheckpointReader.Read(Path.Combine(ClusterJobs.Folder("resume-items-interrupted"), "checkpoint.vaecf"), config);
        foreach (var (name, tensor) in expected)
            Assert.Equal(tensor.data<float>().ToArray(), actual[name].data<float>().ToArray());
        Assert.Equal(straight.Test.Single(t => t.Name == "NDCG@100").Mean, resumed.Test.Single(t => t.Name == "NDCG@100").Mean);
    }

    /// <summary>Starts the job fresh, cancels it once two epochs are done, and checks it stopped between epochs 2 and 4.</summary>
    private static async Task StartThenCancelAfterTwoEpochsAsync(TrainingJobClient client, byte[] data, AutoencoderConfig config,
        TrainerOptions options, ClusterSettings cluster)
    {
        await client.StartAsync(data, "test", config, options, cluster, fresh: true);
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
    }
}
