using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// Trains one Mult-VAE / Mult-DAE for a study: in this process (<see cref="SingleProcessAutoencoderRunner"/>) or as a
/// job on a cluster. Either way an interrupted run with the same id continues from its last finished epoch.
/// </summary>
public interface IAutoencoderRunner
{
    /// <summary>Where runs execute, for logs and the report ("this process", "in-process cluster", an address).</summary>
    string Description { get; }

    /// <summary>Trains <paramref name="config"/> on <paramref name="split"/> under the id <paramref name="runId"/>.</summary>
    /// <exception cref="OperationCanceledException">The run was interrupted; its checkpoint is kept.</exception>
    Task<AutoencoderRun> TrainAsync(string runId, DataSplit split, AutoencoderConfig config, TrainerOptions options,
        CancellationToken cancellationToken);

    /// <summary>
    /// Deletes what run <paramref name="runId"/> kept for resuming (checkpoint, job storage, downloaded model); called
    /// once its outcome is in the ledger, so long experiments do not fill the disk with checkpoints.
    /// </summary>
    Task DiscardAsync(string runId);
}
