using System.Runtime.InteropServices;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// Moves whole vectors between the job's mirror model (parameters and Adam moments, as the single-process trainer
/// holds them) and the parameter shards, in chunks under the message limit. Used to seed the shards, to restore them
/// from a checkpoint, and to read them back for checkpoints and the best model. Shards held by this silo's replica
/// (<paramref name="local"/>) are copied by reference on the compute thread; only the others travel as bytes.
/// </summary>
internal sealed class ShardStateTransfer(IGrainFactory grains, string jobId, int generation, ParameterLayout layout, long[] shardStarts, int maxChunkBytes,
    TorchRuntime torch, ReplicaHandle? local)
{
    private int PerChunk => Math.Max(1, maxChunkBytes / sizeof(float));

    /// <summary>Writes <paramref name="tensors"/> (one per block) into every shard's <paramref name="kind"/> vector; returns the shard versions.</summary>
    public Task<long[]> PushAsync(IReadOnlyList<Tensor> tensors, ShardStateKind kind, long stepCount) => PushAsync(tensors, kind, _ => stepCount);

    /// <summary>Like <see cref="PushAsync(IReadOnlyList{Tensor}, ShardStateKind, long)"/> with each shard's step count (-1: leave it).</summary>
    public async Task<long[]> PushAsync(IReadOnlyList<Tensor> tensors, ShardStateKind kind, Func<int, long> stepCountOf)
    {
        var versions = new long[shardStarts.Length - 1];
        await Task.WhenAll(Enumerable.Range(0, versions.Length).Select(async s =>
        {
            if (local is { } handle && handle.Replica.Owns(s))
            {
                // A shard on this silo is written by reference, on the compute thread: no bytes, no messages.
                long stepCount = stepCountOf(s);
                versions[s] = await torch.RunAsync(() =>
                {
                    var optimizer = handle.Replica.Owned(s);
                    optimizer.CopyFrom((ShardVector)kind, tensors);
                    if (kind != ShardStateKind.Parameters && stepCount >= 0) optimizer.SetStepCount(stepCount);
                    handle.Replica.MarkLoaded(s, optimizer.Version);
                    return optimizer.Version;
                });
                return;
            }
            var shard = grains.GetGrain<IParameterShardGrain>(GrainKeys.Shard(jobId, s));
            long start = shardStarts[s], length = shardStarts[s + 1] - start;
            for (long offset = 0; offset < length; offset += PerChunk)
            {
                var values = new float[(int)Math.Min(PerChunk, length - offset)];
                FlatParameters.Read(tensors, layout, start + offset, values);
                versions[s] = await shard.WriteStateAsync(new ShardStateChunk(generation, kind, offset,
                    MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), 0, stepCountOf(s)));
            }
        }));
        return versions;
    }

    /// <summary>Reads every shard's <paramref name="kind"/> vector into <paramref name="tensors"/>; returns each shard's Adam step count.</summary>
    public async Task<long[]> PullAsync(IReadOnlyList<Tensor> tensors, ShardStateKind kind)
    {
        var steps = await Task.WhenAll(Enumerable.Range(0, shardStarts.Length - 1).Select(async s =>
        {
            if (local is { } handle && handle.Replica.Owns(s))
                return await torch.RunAsync(() =>
                {
                    var optimizer = handle.Replica.Owned(s);
                    optimizer.CopyTo((ShardVector)kind, tensors);
                    return optimizer.StepCount;
                });
            var shard = grains.GetGrain<IParameterShardGrain>(GrainKeys.Shard(jobId, s));
            long start = shardStarts[s], length = shardStarts[s + 1] - start, step = 0;
            for (long offset = 0; offset < length; offset += PerChunk)
            {
                var chunk = await shard.ReadStateAsync(generation, kind, offset, (int)Math.Min(PerChunk, length - offset));
                FlatParameters.Write(tensors, layout, start + offset, MemoryMarshal.Cast<byte, float>(chunk.Values));
                step = chunk.StepCount;
            }
            return step;
        }));
        return steps;
    }

    /// <summary>Reads parameters and both moments into the mirror and sets its optimizers' step counts.</summary>
    public async Task PullAllAsync(ClusterMirror mirror)
    {
        await PullAsync(mirror.Parameters, ShardStateKind.Parameters);
        await PullAsync(mirror.FirstMoments, ShardStateKind.FirstMoment);
        mirror.SetStepCounts(await PullAsync(mirror.SecondMoments, ShardStateKind.SecondMoment));
    }
}
