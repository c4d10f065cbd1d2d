namespace VaeCfCluster.Grains.Abstractions.Workers;

/// <summary>
/// A data-parallel worker (key "jobId/index"), placed so workers spread over the silos. It holds its partition of
/// the training users, fetches parameters from the shards only when their version changed, computes the gradient of
/// its slice of each global batch and pushes it, row-sparse where it can, to the parameter shards.
/// </summary>
public interface ITrainingWorkerGrain : IGrainWithStringKey
{
    /// <summary>Sets the worker up for a job generation: the model, seed, shard layout and chunk size.</summary>
    Task PrepareAsync(WorkerSetup setup);

    /// <summary>Stores one chunk of the worker's partition of the training users (after <see cref="PrepareAsync"/>).</summary>
    Task LoadDataAsync(PartitionChunk chunk);

    /// <summary>
    /// Computes and pushes the gradient of this worker's slice of a global batch. Returns
    /// <see cref="WorkerStepResult.NotReady"/> when the worker lost its setup or data (for example after its silo
    /// restarted); the job then prepares it again.
    /// </summary>
    Task<WorkerStepResult> ComputeGradientAsync(WorkerStepRequest request);
}
