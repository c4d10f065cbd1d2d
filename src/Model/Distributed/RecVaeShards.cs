using VaeCfCluster.Model.RecVae;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// Which parameter shards a RecVAE pass updates. The shards are cut so none straddles the encoder and the decoder
/// (<see cref="ParameterLayout.CutShards(int, int)"/>): the first shards hold the encoder, the rest the decoder. An encoder
/// pass updates the first, a decoder pass the rest, a joint pass all; so each shard's Adam counts the steps of the
/// optimizer it belongs to.
/// </summary>
public static class RecVaeShards
{
    /// <summary>
    /// The shards [From, To) <paramref name="phase"/> updates, for a layout whose first <paramref name="encoderBlocks"/>
    /// blocks are the encoder's; all of them when <paramref name="encoderBlocks"/> is 0 (not a RecVAE).
    /// </summary>
    public static (int From, int To) Of(ParameterLayout layout, long[] shardStarts, int encoderBlocks, RecVaePhase phase)
    {
        int shards = shardStarts.Length - 1;
        if (encoderBlocks <= 0 || phase == RecVaePhase.Joint) return (0, shards);
        long boundary = layout.Blocks[encoderBlocks].Offset;
        int index = Array.IndexOf(shardStarts, boundary);
        if (index <= 0 || index >= shards)
            throw new ArgumentException($"No shard starts at the decoder's offset {boundary}: the shards were not cut for RecVAE.", nameof(shardStarts));
        return phase == RecVaePhase.Encoder ? (0, index) : (index, shards);
    }
}
