using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Model.Distributed;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>How one generation of a job is spread: its workers, shards (ranges of the flat parameter vector) and evaluators.</summary>
internal sealed record ClusterPlan(WorkerSetup Setup, ParameterLayout Layout, int Silos, int Workers, int Shards, int Evaluators)
{
    /// <summary>The job's generation: increases on every (re)start, so grains refuse stale calls.</summary>
    public int Generation => Setup.Generation;

    /// <summary>Shard boundaries (count + 1 offsets).</summary>
    public long[] ShardStarts => Setup.ShardStarts;

    /// <summary>
    /// Shards when the job does not say: one per silo, so each silo owns 1/S of the parameters and the exchange moves
    /// 2(S − 1)/S of the model per silo per step; more when a shard would pass 16M parameters.
    /// </summary>
    public static int AutoShards(long parameters, int silos) => Math.Max(ParameterLayout.AutoShardCount(parameters), silos);
}
