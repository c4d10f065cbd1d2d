using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// The computation of a data-parallel worker: the gradient of its slice of a global batch, with dropout masks and
/// latent noise keyed by the users' global row numbers and the loss divided by the global batch size, so the slices'
/// gradients sum to the single-process trainer's batch gradient; then the gradient cut into parts for the shards.
/// </summary>
public sealed class DataParallelWorker(ParameterReplica replica, UserPartition partition, long seed)
{
    /// <summary>The model copy.</summary>
    public ParameterReplica Replica { get; } = replica;

    /// <summary>The users this worker holds.</summary>
    public UserPartition Partition { get; } = partition;

    /// <summary>
    /// Computes the gradient of <paramref name="users"/> (global rows, all in the partition) and returns the loss terms
    /// and the gradient parts for the shards (none when the slice is empty).
    /// </summary>
    public (BatchLoss Loss, IReadOnlyList<GradientPart> Parts) ComputeGradient(int[] users, int epoch, double beta,
        int globalBatchUsers, int maxChunkBytes, bool bf16)
    {
        if (users.Length == 0) return (default, []);
        var rows = Partition.LocalRows(users);
        var keys = users.Select(u => (long)u).ToArray();
        var network = Replica.Network;
        GradientComputer.ClearGradients(network);
        var loss = GradientComputer.Accumulate(network, Partition.Clicks, rows, (ulong)seed, epoch, beta, globalBatchUsers, keys);
        var parts = GradientExporter.Export(network, Replica.Layout, Replica.ShardStarts, Partition.TouchedItems(rows), maxChunkBytes, bf16);
        GradientComputer.ClearGradients(network);
        return (loss, parts);
    }
}
