using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Model.Distributed;

namespace VaeCfCluster.Grains.Workers;

/// <summary>
/// Brings a silo's replica up to the requested shard versions: only shards whose version changed are read (those
/// owned by another silo; shards owned here update the replica in place), in chunks of at most the job's chunk
/// size, all shards at once, as bfloat16 when the job compresses its exchange (the owners keep float32). One grain per
/// silo fetches at a time; the others then find nothing stale.
/// </summary>
internal static class ReplicaFetcher
{
    /// <summary>Fetches stale shards into the replica; returns the bytes received.</summary>
    public static async Task<long> RefreshAsync(IGrainFactory grains, TorchRuntime torch, string jobId, int generation, ReplicaHandle handle,
        long[] versions, int maxChunkBytes, bool bf16)
    {
        await handle.RefreshLock.WaitAsync();
        try
        {
            var replica = handle.Replica;
            var stale = replica.StaleShards(versions);
            if (stale.Count == 0) return 0;
            var received = await Task.WhenAll(stale.Select(s => FetchShardAsync(grains, torch, jobId, generation, replica, s, maxChunkBytes, bf16)));
            return received.Sum();
        }
        finally
        {
            handle.RefreshLock.Release();
        }
    }

    private static async Task<long> FetchShardAsync(IGrainFactory grains, TorchRuntime torch, string jobId, int generation, SiloReplica replica,
        int shard, int maxChunkBytes, bool bf16)
    {
        var grain = grains.GetGrain<IParameterShardGrain>(GrainKeys.Shard(jobId, shard));
        long length = replica.ShardLength(shard);
        int perChunk = Math.Max(1, maxChunkBytes / (bf16 ? 2 : sizeof(float)));
        var offsets = new List<long>();
        for (long offset = 0; offset < length; offset += perChunk) offsets.Add(offset);
        var chunks = await Task.WhenAll(offsets.Select(o => grain.ReadStateAsync(generation, ShardStateKind.Parameters, o, (int)Math.Min(perChunk, length - o), bf16)));
        long version = chunks[0].Version;
        if (chunks.Any(c => c.Version != version))
            throw new InvalidOperationException($"Shard {shard} changed while being read (versions {string.Join(", ", chunks.Select(c => c.Version).Distinct())}).");
        await torch.RunAsync(() =>
        {
            foreach (var chunk in chunks) replica.Load(shard, chunk.Offset, chunk.Values, chunk.Bf16);
            replica.MarkLoaded(shard, version);
        });
        return chunks.Sum(c => (long)c.Values.Length);
    }
}
