using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Distributed;

namespace VaeCfCluster.Grains.Workers;

/// <summary>
/// A worker's or evaluator's side of the item-item term's neighbour index: it reassembles the job's chunks and puts the
/// whole index on its silo's replica (on the compute thread). Grains on one silo share the replica, so a later grain
/// sets the same index again. Without the term there is nothing to load and the grain is always ready.
/// </summary>
internal sealed class NeighbourTargetsLoader
{
    private readonly ChunkAssembler _upload = new();
    private WorkerSetup? _setup;
    private bool _loaded;

    /// <summary>Starts over for a job generation.</summary>
    public void Reset(WorkerSetup setup)
    {
        _setup = setup;
        _loaded = false;
    }

    /// <summary>Whether the replica can run the model: it has no item-item term, or this grain put the whole index on it.</summary>
    public bool Ready => _setup is { } setup && (setup.Model.ItemNeighbours == 0 || _loaded);

    /// <summary>Adds one chunk; once the last arrives, sets the index on the replica of the chunk's generation.</summary>
    public async Task AddAsync(NeighbourChunk chunk, string grain, TorchRuntime torch, JobReplicaRegistry replicas)
    {
        if (_setup is not { } setup || chunk.Generation != setup.Generation) throw GrainStateLost.Create(grain, chunk.Generation);
        if (setup.Model.ItemNeighbours == 0)
            throw new InvalidOperationException($"{grain}: job {setup.JobId}'s model has no item-item term to load neighbours for.");
        if (_upload.Add(chunk.Index, chunk.Count, chunk.Bytes) is not { } bytes) return;
        var handle = await replicas.GetAsync(setup.JobId, setup.Generation) ?? throw GrainStateLost.Create(grain, chunk.Generation);
        var targets = NeighbourTargetBytes.ToTargets(bytes);
        await torch.RunAsync(() => handle.Replica.Network.SetNeighbourTargets(targets));
        _loaded = true;
    }
}
