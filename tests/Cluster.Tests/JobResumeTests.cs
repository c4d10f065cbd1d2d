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
        int checkpointed = File.ReadAllLines(log).Length;
        File.WriteAllLines(log, File.ReadAllLines(log).SkipLast(1));

        await client.StartAsync(data, "test", config, options, cluster, fresh: false);
        var resumed = await client.WaitAsync(TimeSpan.FromMilliseconds(50));
        Assert.Equal(TrainingJobState.Completed, resumed.State);
        Assert.True(resumed.Resumed);
        Assert.Equal(checkpointed, resumed.ResumedAfterEpoch);
        Assert.Equal(5, resumed.History.Count);
        // Its elapsed time counts the epochs the first attempt kept as well as its own.
        double epochs = resumed.History.Sum(h => h.Seconds + h.ValidationSeconds);
        Assert.True(resumed.ElapsedSeconds >= epochs, $"elapsed {resumed.ElapsedSeconds:F3} s for {epochs:F3} s of epochs");
        int[] loggedEpochs = [.. File.ReadAllLines(log).Select(line => System.Text.Json.Nodes.JsonNode.Parse(line)!["Epoch"]!.GetValue<int>())];
        Assert.Equal([1, 2, 3, 4, 5], loggedEpochs);

        var (_, expected) = TensorFile.Read(Path.Combine(ClusterJobs.Folder(straight), "checkpoint.vaecf"));
        var (_, actual) = TensorFile.Read(Path.Combine(ClusterJobs.Folder(interrupted), "checkpoint.vaecf"));
        Assert.Equal(neighbours > 0, expected.ContainsKey("param/neighbours.weight"));
        foreach (var (name, tensor) in expected)
            Assert.Equal(tensor.data<float>().ToArray(), actual[name].data<float>().ToArray());
    }

    [Fact(Timeout = 240_000)]
    public async Task CancelledThenStartedAgainWithAPatience_ResumesAndStopsWhereTheCurveSays()
    {
        var split = PlantedSplit.Create(400, 30, 80, 4, seed: 6);
        var config = new AutoencoderConfig { ItemCount = 80, HiddenDims = [24], LatentDim = 8 };
        var options = new TrainerOptions { Epochs = 12, BatchSize = 20, Seed = 4, Adam = new AdamOptions { LearningRate = 0.01 },
            Beta = new BetaScheduleOptions { TotalAnnealSteps = 60 } };
        var cluster = new ClusterSettings { Workers = 2, ParameterShards = 2 };
        var straight = await ClusterJobs.TrainAsync(fixture.Grains, "patience-straight", split, config, options, cluster);
        var curve = straight.History.Select(h => h.ValidationNdcg100).ToArray();

        var client = new TrainingJobClient(fixture.Grains, "patience-interrupted");
        var data = SplitSerializer.Serialize(split);
        await StartThenCancelAfterTwoEpochsAsync(client, data, config, options, cluster);
        int cancelledAfter = (await client.Job.GetStatusAsync()).History.Count;
        await client.StartAsync(data, "test", config, options with { Patience = 1 }, cluster, fresh: false);
        var resumed = await client.WaitAsync(TimeSpan.FromMilliseconds(50));

        // From the uninterrupted curve: the first epoch count, from where the job was cancelled on, whose best epoch lies
        // at least one epoch back.
        int BestOfFirst(int n) => Array.IndexOf(curve, curve.Take(n).Max()) + 1;
        int expected = Enumerable.Range(cancelledAfter, curve.Length - cancelledAfter).FirstOrDefault(n => n - BestOfFirst(n) >= 1, curve.Length);
        Assert.True(expected < curve.Length, "this curve improves at every epoch; the test needs one that stops early");
        Assert.True(resumed.State == TrainingJobState.Completed, resumed.Error);
        Assert.True(resumed.Resumed, "another patience started the job over");
        Assert.Equal(expected, resumed.History.Count);
        Assert.Equal(curve.Take(expected), resumed.History.Select(h => h.ValidationNdcg100));
    }

    [Fact(Timeout = 300_000)]
    public async Task ItemSharded_CancelledThenStartedAgain_EndsLikeUninterruptedRun()
    {
        var (straight, client, data, (split, config, options, cluster)) = await StraightAndInterruptedAsync("resume-items");
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

    [Fact(Timeout = 300_000)]
    public async Task ItemSharded_StartedAgainWithOtherShardCounts_RecutsThePartsAndEndsLikeUninterruptedRun()
    {
        // Two shards for two epochs or more, then three (each reads its range from the two-shard parts that overlap it)
        // for at least one more, then two again to the end.
        var (straight, client, data, (split, config, options, cluster)) = await StraightAndInterruptedAsync("recut");
        int before = (await client.Job.GetStatusAsync()).History.Count;
        await client.StartAsync(data, "test", config, options, cluster with { ItemShards = 3 }, fresh: false);
        var three = await CancelAfterAsync(client, before + 1);
        Assert.True(three.Resumed, "the three-shard run started over instead of resuming");
        Assert.Equal(3, three.ItemShards);
        Assert.True(three.History.Count > before, three.Error);
        if (three.State != TrainingJobState.Completed)
        {
            await client.StartAsync(data, "test", config, options, cluster, fresh: false);
            three = await client.WaitAsync(TimeSpan.FromMilliseconds(50));
            Assert.True(three.Resumed);
            Assert.Equal(2, three.ItemShards);
        }
        Assert.True(three.State == TrainingJobState.Completed, three.Error);
        Assert.Equal(5, three.History.Count);
        var files = Directory.GetFiles(ClusterJobs.Folder("recut-interrupted")).Select(Path.GetFileName).ToArray();
        Assert.DoesNotContain(files, f => f!.StartsWith("itemshard-e", StringComparison.Ordinal) && f.Contains("of3") && !f.Contains("-e" + three.BestEpoch + "-"));

        // Other shard counts sum the same numbers in another order: the same model to float rounding.
        var (expected, _, _, _) = ShardedCheckpointReader.Read(Path.Combine(ClusterJobs.Folder("recut-straight"), "checkpoint.vaecf"), config);
        var (actual, _, _, _) = ShardedCheckpointReader.Read(Path.Combine(ClusterJobs.Folder("recut-interrupted"), "checkpoint.vaecf"), config);
        foreach (var (name, tensor) in expected)
        {
            double worst = tensor.data<float>().ToArray().Zip(actual[name].data<float>().ToArray(), (x, y) => Math.Abs((double)x - y)).Max();
            Assert.True(worst <= 1e-4, $"{name}: largest difference {worst:E2}");
        }
        Assert.Equal(straight.Test.Single(t => t.Name == "NDCG@100").Mean, three.Test.Single(t => t.Name == "NDCG@100").Mean, 4);
    }

    /// <summary>
    /// A 5-epoch job with 2 item shards trained straight through as "<paramref name="name"/>-straight", and the same job
    /// as "<paramref name="name"/>-interrupted" cancelled after two epochs or more.
    /// </summary>
    private async Task<(TrainingJobStatus Straight, TrainingJobClient Interrupted, byte[] Data,
        (DataSplit Split, AutoencoderConfig Config, TrainerOptions Options, ClusterSettings Cluster) Run)> StraightAndInterruptedAsync(string name)
    {
        var split = PlantedSplit.Create(400, 30, 300, 6, seed: 8);
        var config = new AutoencoderConfig { ItemCount = 300, HiddenDims = [24], LatentDim = 8 };
        var options = new TrainerOptions { Epochs = 5, BatchSize = 20, Seed = 5, Beta = new BetaScheduleOptions { TotalAnnealSteps = 60 } };
        var cluster = new ClusterSettings { ItemShards = 2 };
        var straight = await ClusterJobs.TrainAsync(fixture.Grains, $"{name}-straight", split, config, options, cluster);
        Assert.True(straight.State == TrainingJobState.Completed, straight.Error);
        var client = new TrainingJobClient(fixture.Grains, $"{name}-interrupted");
        var data = SplitSerializer.Serialize(split);
        await StartThenCancelAfterTwoEpochsAsync(client, data, config, options, cluster);
        return (straight, client, data, (split, config, options, cluster));
    }

    /// <summary>Waits until the started job has <paramref name="epochs"/> epochs, then cancels it (unless it finished first).</summary>
    private static async Task<TrainingJobStatus> CancelAfterAsync(TrainingJobClient client, int epochs)
    {
        TrainingJobStatus status;
        do
        {
            await Task.Delay(20);
            status = await client.Job.GetStatusAsync();
        } while (status.History.Count < epochs && !status.IsFinished);
        if (status.IsFinished) return status;
        await client.Job.CancelAsync();
        return await client.Job.GetStatusAsync();
    }

    /// <summary>Starts the job fresh, cancels it once two epochs are done, and checks it stopped between epochs 2 and 4.</summary>
    private static async Task StartThenCancelAfterTwoEpochsAsync(TrainingJobClient client, byte[] data, AutoencoderConfig config,
        TrainerOptions options, ClusterSettings cluster)
    {
        await client.StartAsync(data, "test", config, options, cluster, fresh: true);
        var cancelled = await CancelAfterAsync(client, 2);
        Assert.Equal(TrainingJobState.Cancelled, cancelled.State);
        Assert.InRange(cancelled.History.Count, 2, 4);
    }
}
