using Orleans.Core.Internal;
using VaeCfCluster.Cluster.Tests.Support;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>
/// A job grain deactivated by the runtime while its job runs (as happens when the silo holding its directory entry
/// dies) stops its run; the next activation resumes from the checkpoint alone, with no run of the old activation beside
/// it, and the job ends with the uninterrupted run's model.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class JobDeactivationTests(ThreeSiloCluster fixture)
{
    [Fact(Timeout = 240_000)]
    public async Task DeactivatedWhileRunning_NextActivationResumesAlone_EndsBitForBitLikeUninterruptedRun()
    {
        var split = PlantedSplit.Create(400, 30, 80, 4, seed: 7);
        var config = new AutoencoderConfig { ItemCount = 80, HiddenDims = [24], LatentDim = 8 };
        var options = new TrainerOptions { Epochs = 8, BatchSize = 20, Seed = 5, Beta = new BetaScheduleOptions { TotalAnnealSteps = 60 } };
        var cluster = new ClusterSettings { Workers = 2, ParameterShards = 2 };
        await ClusterJobs.TrainAsync(fixture.Grains, "deactivate-straight", split, config, options, cluster);

        var client = new TrainingJobClient(fixture.Grains, "deactivate-moved");
        await client.StartAsync(SplitSerializer.Serialize(split), "test", config, options, cluster, fresh: true);
        TrainingJobStatus status;
        do
        {
            await Task.Delay(20);
            status = await client.Job.GetStatusAsync();
        } while (status.History.Count < 2 && !status.IsFinished);
        Assert.False(status.IsFinished, "the job finished before it could be deactivated; give it more epochs");
        await client.Job.AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        // The next call activates the grain again, which resumes the job from its checkpoint.
        var final = await client.WaitAsync(TimeSpan.FromMilliseconds(50));
        Assert.True(final.State == TrainingJobState.Completed, $"{final.State}: {final.Error}");
        Assert.True(final.Resumed);
        Assert.Equal(Enumerable.Range(1, options.Epochs), final.History.Select(h => h.Epoch));

        // A run of the old activation going on beside the new one would have fought it for the silos' replicas
        // (failing or restarting it) or written its own checkpoints: the result equals the straight run bit for bit.
        var (_, expected) = TensorFile.Read(Path.Combine(ClusterJobs.Folder("deactivate-straight"), "checkpoint.vaecf"));
        var (_, actual) = TensorFile.Read(Path.Combine(ClusterJobs.Folder("deactivate-moved"), "checkpoint.vaecf"));
        foreach (var (name, tensor) in expected)
            Assert.Equal(tensor.data<float>().ToArray(), actual[name].data<float>().ToArray());
    }
}
