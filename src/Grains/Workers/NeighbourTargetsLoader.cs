using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Distributed;

namespace VaeCfCluster.Grains.Workers;

/// <summary>
/// A worker's or evaluator's side of the item-item term's neighbour index: it reassembles the job's chunks and puts the
/// whole index on its silo's replica (on the compute thread). Grains on one silo share the replica: a grain asked
/// whether it needs the index (<see cref="NeedsAsync"/>) after another grain of its silo has set it is ready without
/// it. Without the term there is nothing to load and the grain is always ready.
/// </summary>
internal sealed class NeighbourTargetsLoader
{
    private readonly ChunkAssembler _upload = new();
    private int? _loadedGeneration;

    /// <summary>Forgets what was loaded: the grain is being set up (again), and its silo's replica may be a new one.</summary>
    public void Reset() => _loadedGeneration = null;

    /// <summary>Whether the replica of <paramref name="setup"/> can run its model: no item-item term, or this grain put the whole index on it.</summary>
    public bool Ready(WorkerSetup setup) => setup.Model.ItemNeighbours == 0 || _loadedGeneration == setup.Generation;

    /// <summary>
    /// Whether the replica of <paramref name="setup"/>'s <paramref name="generation"/> lacks the index; when another grain has
    /// set it there, this grain counts it as loaded.
    /// </summary>
    public async Task<bool> NeedsAsync(int generation, WorkerSetup? setup, string grain, TorchRuntime torch, JobReplicaRegistry replicas)
    {
        if (setup is null || generation != setup.Generation) throw GrainStateLost.Create(grain, generation);
        if (Ready(setup)) return false;
        var handle = await replicas.GetAsync(setup.JobId, setup.Generation) ?? throw GrainStateLost.Create(grain, generation);
        if (!await torch.RunAsync(() => handle.Replica.Network.NeighbourTargets is not null)) return true;
        _loadedGeneration = setup.Generation;
        return false;
    }

    /// <summary>Adds one chunk for the grain's current <paramref name="setup"/>; once the last arrives, sets the index on that generation's replica.</summary>
    public async Task AddAsync(NeighbourChunk chunk, WorkerSetup? setup, string grain, TorchRuntime torch, JobReplicaRegistry replicas)
    {
        if (setup is null || chunk.Generation != setup.Generation) throw GrainStateLost.Create(grain, chunk.Generation);
        if (setup.Model.ItemNeighbours == 0)
            throw new InvalidOperationException($"{grain}: job {setup.JobId}'s model has no item-item term to load neighbours for.");
        if (_upload.Add(chunk.Index, chunk.Count, chunk.Bytes) is not { } bytes) return;
        var handle = await replicas.GetAsync(setup.JobId, setup.Generation) ?? throw GrainStateLost.Create(grain, chunk.Generation);
        var targets = NeighbourTargetBytes.ToTargets(bytes);
        await torch.RunAsync(() => handle.Replica.Network.SetNeighbourTargets(targets));
        _loadedGeneration = setup.Generation;
    }
}
