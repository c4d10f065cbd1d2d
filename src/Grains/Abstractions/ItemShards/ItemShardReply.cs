namespace VaeCfCluster.Grains.Abstractions.ItemShards;

/// <summary>An item shard's answer: float32 values, a scalar, and the milliseconds it computed.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.ItemShardReply")]
public sealed record ItemShardReply(
    [property: Id(0)] bool Ready,
    [property: Id(1)] byte[] Values,
    [property: Id(2)] double Scalar,
    [property: Id(3)] double ComputeMilliseconds)
{
    /// <summary>The shard has no state for the requested generation or step.</summary>
    public static ItemShardReply NotReady { get; } = new(false, [], 0, 0);
}
