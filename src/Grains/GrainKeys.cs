using System.Globalization;

namespace VaeCfCluster.Grains;

/// <summary>Keys of a job's grains: "jobId/index", the index choosing the silo (<see cref="Placement.SpreadPlacement"/>).</summary>
public static class GrainKeys
{
    /// <summary>Worker <paramref name="index"/> of a job.</summary>
    public static string Worker(string jobId, int index) => Indexed(jobId, index);

    /// <summary>Parameter shard <paramref name="index"/> of a job.</summary>
    public static string Shard(string jobId, int index) => Indexed(jobId, index);

    /// <summary>Evaluator <paramref name="index"/> of a job.</summary>
    public static string Evaluator(string jobId, int index) => Indexed(jobId, index);

    /// <summary>Item shard <paramref name="index"/> of a job (item-sharded models).</summary>
    public static string ItemShard(string jobId, int index) => Indexed(jobId, index);

    private static string Indexed(string jobId, int index) => jobId + "/" + index.ToString(CultureInfo.InvariantCulture);
}
