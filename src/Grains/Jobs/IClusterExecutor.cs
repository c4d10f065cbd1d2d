using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>A job's <see cref="ITrainingStepExecutor"/> on the cluster: where its state lives, and how it is freed at the end.</summary>
internal interface IClusterExecutor : ITrainingStepExecutor
{
    /// <summary>The silo of each shard holding parameters, as the shards reported it.</summary>
    IReadOnlyList<string> ShardSilos { get; }

    /// <summary>The silo of each worker, as the workers last reported it.</summary>
    IReadOnlyList<string> WorkerSilos { get; }

    /// <summary>Frees what the job's generation holds on the silos.</summary>
    Task ReleaseAsync();
}
