namespace VaeCfCluster.Grains.Abstractions.Workers;

/// <summary>
/// A data-parallel worker (key "jobId/index"), placed so workers spread over the silos. It holds its partition of
/// the training users and computes the gradient of its slice of each global batch into its silo's replica of the
/// model, after loading the shards owned by other silos whose version changed. Shards on its silo take that gradient
/// by reference; to shards elsewhere it pushes their row-sparse parts, the output layer's while its backward pass runs.
/// </summary>
public interface ITrainingWorkerGrain : INeighbourIndexHolder
{
    /// <summary>Sets the worker up for a job generation: the model, seed, shard layout and chunk size.</summary>
    Task PrepareAsync(WorkerSetup setup);

    /// <summary>Stores one chunk of the worker's partition of the training users (after <see cref="PrepareAsync"/>).</summary>
    Task LoadDataAsync(PartitionChunk chunk);

    /// <summary>
    /// Computes the gradient of this worker's slice of a global batch into the silo's replica. Returns
    /// <see cref="WorkerStepResult.NotReady"/> when the worker lost its setup or data (for example after its silo
    /// restarted); the job then prepares it again.
    /// </summary>
    Task<WorkerStepResult> ComputeGradientAsync(WorkerStepRequest request);

    /// <summary>Frees the silo's replica of the job generation (when the job ends).</summary>
    Task ReleaseAsync(int generation);
}
