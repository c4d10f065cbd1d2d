using System.Text.Json;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Cluster.Tests.Support;

/// <summary>Runs a training job on a cluster to the end and returns its final status.</summary>
public static class ClusterJobs
{
    public static async Task<TrainingJobStatus> TrainAsync(IGrainFactory grains, string jobId, DataSplit split,
        AutoencoderConfig config, TrainerOptions options, ClusterSettings cluster)
    {
        var client = new TrainingJobClient(grains, jobId);
        await client.StartAsync(SplitSerializer.Serialize(split), "test", config, options, cluster, fresh: true);
        var status = await client.WaitAsync(TimeSpan.FromMilliseconds(100));
        Assert.True(status.State == TrainingJobState.Completed, $"Job {jobId} ended {status.State}: {status.Error}");
        return status;
    }

    /// <summary>The job's folder in the test cluster's storage.</summary>
    public static string Folder(string jobId) => Path.Combine(ThreeSiloCluster.StorageDirectory, jobId);
}
