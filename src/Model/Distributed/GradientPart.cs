namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// Part of a gradient bound for one parameter shard: segments (start relative to the shard, length) whose values
/// follow each other in <see cref="Values"/> as little-endian float32, or bfloat16 when <see cref="Bf16"/>.
/// </summary>
public sealed record GradientPart(int Shard, long[] SegmentStarts, int[] SegmentLengths, byte[] Values, bool Bf16)
{
    /// <summary>Number of values carried.</summary>
    public long ValueCount => SegmentLengths.Sum(l => (long)l);
}
