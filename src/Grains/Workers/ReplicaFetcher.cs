using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Model.Distributed;

namespace VaeCfCluster.Grains.Workers;

/// <summary>
/// Brings a replica up to the requested shard versions: only shards whose version changed are read, in chunks of at
/// most the job's chunk size, all shards at once.
/// </summary>
internal static class ReplicaFetcher
{
    /// <summary>Fetches stale shards into <paramref name="replica"/>; returns the bytes received.</summary>
    public static async Task<long> RefreshAsync(IGrainFactory grains, string jobId, int generation, ParameterReplica replica,
        long[] versions, int maxChunkBytes)
    {
        var stale = replica.StaleShards(versions);
        if (stale.Count == 0) return 0;
        var received = await Task.WhenAll(stale.Select(s => FetchShardAsync(grains, jobId, generation, replica, s, maxChunkBytes)));
        return received.Sum();
    }

    private static async Task<long> FetchShardAsync(IGrainFactory grains, string jobId, int generation, ParameterReplica replica,
        int shard, int maxChunkBytes)
    {
        var grain = grains.GetGrain<IParameterShardGrain>(GrainKeys.Shard(jobId, shard));
        long length = replica.ShardLength(shard), bytes = 0, version = -1;
        int perChunk = Math.Max(1, maxChunkBytes / sizeof(float));
        for (long offset = 0; offset < length; offset += perChunk)
        {
            var chunk = await grain.ReadStateAsync(generation, ShardStateKind.Parameters, offset, (int)Math.Min(perChunk, length - offset));
            if (version >= 0 && chunk.Version != version)
                throw new InvalidOperationException($"Shard {shard} changed while being read (version {version} then {chunk.Version}).");
            version = chunk.Version;
            replica.Load(shard, offset, chunk.Values);
            bytes += chunk.Values.Length;
        }
        replica.MarkLoaded(shard, version);
        return bytes;
    }
}
