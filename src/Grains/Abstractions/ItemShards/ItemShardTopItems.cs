namespace VaeCfCluster.Grains.Abstractions.ItemShards;

/// <summary>Each user's best items in one shard's range, best first: scores (float32) and global item numbers (int64), row-major [count, k].</summary>
[GenerateSerializer, Immutable, Alias("vaecf.ItemShardTopItems")]
public sealed record ItemShardTopItems(
    [property: Id(0)] bool Ready,
    [property: Id(1)] byte[] Scores,
    [property: Id(2)] byte[] Items,
    [property: Id(3)] int K);
