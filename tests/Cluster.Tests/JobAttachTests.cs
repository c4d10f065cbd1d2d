using VaeCfCluster.Cluster.Tests.Support;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>
/// A client that starts a job which is already running (its first client went away) follows it when it asks for the
/// same data and settings, and is refused, with what differs named, when it does not.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class JobAttachTests(ThreeSiloCluster fixture)
{
    private static readonly DataSplit Split = PlantedSplit.Create(1000, 50, 200, 4, seed: 8);
    private static readonly AutoencoderConfig Config = new() { ItemCount = 200, HiddenDims = [48], LatentDim = 12 };
    private static readonly TrainerOptions Options = new() { Epochs = 12, BatchSize = 25, Seed = 3, Beta = new BetaScheduleOptions { TotalAnnealSteps = 200 } };
    private static readonly ClusterSettings Cluster = new() { Workers = 2, ParameterShards = 2 };

    [Fact(Timeout = 240_000)]
    public async Task StartAgainWhileRunning_SameSpec_AttachesAndFollowsToTheEnd()
    {
        var data = SplitSerializer.Serialize(Split);
        var first = new TrainingJobClient(fixture.Grains, "attach-same");
        await first.StartAsync(data, "test", Config, Options, Cluster, fresh: true);
        Assert.False(first.Attached);

        var second = new TrainingJobClient(fixture.Grains, "attach-same");
        var attached = await second.StartAsync(data, "test", Config, Options, Cluster, fresh: false);
        Assert.True(second.Attached, $"the job was {attached.State} when the second client came: give it more work");

        var status = await second.WaitAsync(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TrainingJobState.Completed, status.State);
        Assert.False(status.Resumed);
        Assert.Equal(Enumerable.Range(1, Options.Epochs), status.History.Select(h => h.Epoch));
    }

    [Fact(Timeout = 240_000)]
    public async Task StartAgainWhileRunning_OtherSettingsDataOrFresh_RefusedNamingWhatDiffers()
    {
        var data = SplitSerializer.Serialize(Split);
        var client = new TrainingJobClient(fixture.Grains, "attach-other");
        await client.StartAsync(data, "test", Config, Options, Cluster, fresh: true);
        try
        {
            var otherEpochs = Options with { Epochs = 11 };
            var settings = await Assert.ThrowsAsync<ArgumentException>(() =>
                client.StartAsync(data, "test", Config, otherEpochs, Cluster, fresh: false));
            Assert.Equal("Job 'attach-other' is running with other settings: training Epochs 12 (requested 11). "
                         + "Follow it with its own settings, cancel it, or use another job id.", settings.Message);

            var otherData = SplitSerializer.Serialize(PlantedSplit.Create(1000, 50, 200, 4, seed: 9));
            var dataAndWorkers = await Assert.ThrowsAsync<ArgumentException>(() =>
                client.StartAsync(otherData, "test", Config, Options, Cluster with { Workers = 3 }, fresh: false));
            Assert.StartsWith("Job 'attach-other' is running with other settings: data SHA-256 ", dataAndWorkers.Message);
            Assert.Contains("; cluster Workers 2 (requested 3).", dataAndWorkers.Message);
            Assert.DoesNotContain('\n', dataAndWorkers.Message);

            var fresh = await Assert.ThrowsAsync<ArgumentException>(() =>
                client.StartAsync(data, "test", Config, Options, Cluster, fresh: true));
            Assert.Equal("Job 'attach-other' is running; cancel it before starting it afresh.", fresh.Message);

            Assert.True((await client.Job.GetStatusAsync()).IsRunning, "the job finished while the refusals were checked: give it more work");
        }
        finally
        {
            await client.Job.CancelAsync();
        }
    }
}
