namespace VaeCfCluster.Grains.Abstractions.Workers;

/// <summary>
/// A grain that scores with its silo's replica of a job's model (workers and evaluators, key "jobId/index") and so needs
/// the item-item term's neighbour index on that replica. Grains of one silo share the replica, so the job sends the
/// index only to a grain whose replica does not have it yet: it crosses to each silo once.
/// </summary>
public interface INeighbourIndexHolder : IGrainWithStringKey
{
    /// <summary>
    /// Whether the grain's silo replica of <paramref name="generation"/> still lacks the index (after the grain's set-up).
    /// False when the model has no term, or when another grain on the silo has already set the index on the shared
    /// replica: this grain is then ready without receiving it.
    /// </summary>
    Task<bool> NeedsNeighboursAsync(int generation);

    /// <summary>
    /// Stores one chunk of the index (after the grain's set-up; only for a model with the term, which does not compute
    /// until the whole index is on the silo's replica).
    /// </summary>
    Task LoadNeighboursAsync(NeighbourChunk chunk);
}
