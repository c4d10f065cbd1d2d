using Orleans.Runtime;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Grains.Jobs;

namespace VaeCfCluster.Grains.Hosting;

/// <summary>
/// This silo's replicas of the jobs it trains (<see cref="SiloReplica"/>), one per job, built on the silo's device the
/// first time a worker, shard or evaluator of a job generation asks, and shared by reference among them. A newer
/// generation of a job replaces the older one's replica; an older one is refused (<see cref="GrainStateLost"/>), so a
/// run that is left over (its job grain was deactivated while it ran) cannot take the replica of the run that replaced it.
/// </summary>
public sealed class JobReplicaRegistry(TorchRuntime torch, ILocalSiloDetails silo)
{
    private readonly Dictionary<string, Entry> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>This silo's address, as grains report it.</summary>
    public string Silo { get; } = silo.SiloAddress.ToParsableString();

    /// <summary>The replica of <paramref name="setup"/>'s job generation, built if missing.</summary>
    public async Task<ReplicaHandle> GetOrCreateAsync(WorkerSetup setup)
    {
        Entry entry;
        Entry? replaced = null;
        lock (_lock)
        {
            if (_entries.TryGetValue(setup.JobId, out var newer) && newer.Generation > setup.Generation)
                throw GrainStateLost.Create($"Silo {Silo} (it holds job {setup.JobId}'s newer generation {newer.Generation})", setup.Generation);
            if (!_entries.TryGetValue(setup.JobId, out var found) || found.Generation != setup.Generation)
            {
                replaced = found;
                found = new Entry(setup.Generation, torch.RunAsync(() => NewReplica(setup)), new SemaphoreSlim(1, 1));
                _entries[setup.JobId] = found;
            }
            entry = found;
        }
        if (replaced is not null) await DisposeAsync(replaced);
        return new ReplicaHandle(await entry.Replica, entry.Refresh);
    }

    private SiloReplica NewReplica(WorkerSetup setup)
    {
        if (setup.RecVae is { } recVae) return new SiloReplica(RecVaeSettings.Parse(recVae), setup.Model.ItemCount, setup.ShardStarts, torch.Device);
        var replica = new SiloReplica(setup.Model.ToConfig(), setup.ShardStarts, torch.Device);
        replica.Network.Precision = setup.Precision.ToPrecision();
        return replica;
    }

    /// <summary>The replica of a job generation, or null when this silo has none (it restarted, or the job moved on).</summary>
    public async Task<ReplicaHandle?> GetAsync(string jobId, int generation)
    {
        Entry? entry;
        lock (_lock)
            if (!_entries.TryGetValue(jobId, out entry) || entry.Generation != generation) return null;
        return new ReplicaHandle(await entry.Replica, entry.Refresh);
    }

    /// <summary>Frees the replica of a job generation, if this silo holds it.</summary>
    public async Task ReleaseAsync(string jobId, int generation)
    {
        Entry? entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(jobId, out entry) || entry.Generation != generation) return;
            _entries.Remove(jobId);
        }
        await DisposeAsync(entry);
    }

    private async Task DisposeAsync(Entry entry)
    {
        try
        {
            var replica = await entry.Replica;
            await torch.RunAsync(replica.Dispose);
        }
        catch (Exception)
        {
            // A replica that failed to build has nothing to free.
        }
    }

    private sealed record Entry(int Generation, Task<SiloReplica> Replica, SemaphoreSlim Refresh);
}
