using VaeCfCluster.Grains.Jobs;
using System.Diagnostics;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Placement;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Grains.ParameterServer;

/// <summary>
/// Owns one shard of a job's parameters: its Adam state lives in the silo's replica (<see cref="SiloReplica.Own"/>), on
/// the silo's device, and updates the replica's parameters in place. A step's gradient is the silo's own sum (by
/// reference) plus the parts other silos' workers pushed, summed in worker and part order.
/// </summary>
[SpreadPlacement]
public sealed class ParameterShardGrain(TorchRuntime torch, JobReplicaRegistry replicas, VaeCfMetrics metrics) : Grain, IParameterShardGrain
{
    private ShardSetup? _setup;
    private readonly PendingGradientParts _pending = new();

    /// <inheritdoc />
    public async Task<string> InitializeAsync(ShardSetup setup)
    {
        var handle = await replicas.GetOrCreateAsync(setup.Job);
        var adam = setup.Adam.ToOptions();
        await torch.RunAsync(() => handle.Replica.Own(setup.Shard, adam, setup.WeightDecay).SetStepCount(setup.StepCount));
        _setup = setup;
        _pending.Clear();
        return replicas.Silo;
    }

    /// <inheritdoc />
    public async Task<long> WriteStateAsync(ShardStateChunk chunk)
    {
        var (replica, shard) = await RequireAsync(chunk.Generation);
        return await torch.RunAsync(() =>
        {
            var optimizer = replica.Owned(shard);
            optimizer.Write((ShardVector)chunk.Kind, chunk.Offset, chunk.Values);
            if (chunk.Kind != ShardStateKind.Parameters && chunk.StepCount >= 0) optimizer.SetStepCount(chunk.StepCount);
            replica.MarkLoaded(shard, optimizer.Version);
            return optimizer.Version;
        });
    }

    /// <inheritdoc />
    public async Task<ShardStateChunk> ReadStateAsync(int generation, ShardStateKind kind, long offset, int count, bool bf16 = false)
    {
        var (replica, shard) = await RequireAsync(generation);
        // Reads run beside the compute thread: parameters change only in this shard's apply, which the job never
        // overlaps with reads of the same step.
        var optimizer = replica.Owned(shard);
        var values = optimizer.Read((ShardVector)kind, offset, count);
        if (bf16)
        {
            var halves = GC.AllocateUninitializedArray<byte>(count * 2);
            BFloat16Codec.Encode(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(values.AsSpan()),
                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(halves.AsSpan()));
            values = halves;
        }
        return new ShardStateChunk(generation, kind, offset, values, optimizer.Version, optimizer.StepCount, bf16);
    }

    /// <inheritdoc />
    public async Task PushGradientAsync(GradientChunk chunk)
    {
        await RequireAsync(chunk.Generation);
        _pending.Add(chunk);
    }

    /// <inheritdoc />
    public async Task<ShardApplyResult> ApplyAsync(int generation, long step, GradientSource[] sources)
    {
        var (replica, shard) = await RequireAsync(generation);
        var clock = Stopwatch.StartNew();
        var received = _pending.Take(generation, step);
        foreach (var source in sources.Where(s => s.Silo != replicas.Silo))
        {
            int count = received.Count(c => c.Worker == source.Worker);
            if (count != source.Parts[shard])
                throw new InvalidOperationException($"Step {step}: shard {shard} got {count} of worker {source.Worker}'s {source.Parts[shard]} gradient parts.");
        }
        var parts = received.Select(c => new GradientPart(shard, c.SegmentStarts, c.SegmentLengths, c.Values, c.Bf16)).ToArray();
        var (version, stepCount) = await torch.RunAsync(() =>
        {
            long v = replica.ApplyShard(shard, step, parts);
            return (v, replica.Owned(shard).StepCount);
        });
        string key = this.GetPrimaryKeyString();
        metrics.ShardApplied(key[..Math.Max(0, key.LastIndexOf('/'))], clock.Elapsed.TotalSeconds);
        return new ShardApplyResult(version, stepCount, clock.Elapsed.TotalMilliseconds);
    }

    private async Task<(SiloReplica Replica, int Shard)> RequireAsync(int generation)
    {
        if (_setup is { } setup && setup.Job.Generation == generation && await replicas.GetAsync(setup.Job.JobId, generation) is { } handle
            && handle.Replica.Owns(setup.Shard))
            return (handle.Replica, setup.Shard);
        throw GrainStateLost.Create($"Parameter shard {this.GetPrimaryKeyString()}", generation);
    }
}
