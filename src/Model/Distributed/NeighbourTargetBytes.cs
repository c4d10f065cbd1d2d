using System.Runtime.InteropServices;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// The item-item term's neighbour index (<see cref="ItemNeighbourhood.Build"/>: [items × neighbours] targets, row-major)
/// as it crosses silos: little-endian int32, half the bytes of the index's int64 (targets are items or the sink I).
/// </summary>
public static class NeighbourTargetBytes
{
    /// <summary>The targets as int32 bytes.</summary>
    public static byte[] Of(long[] targets)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(checked(targets.Length * sizeof(int)));
        var values = MemoryMarshal.Cast<byte, int>(bytes.AsSpan());
        for (int i = 0; i < targets.Length; i++) values[i] = checked((int)targets[i]);
        return bytes;
    }

    /// <summary>The targets <paramref name="bytes"/> hold (<see cref="AutoencoderNetwork.SetNeighbourTargets"/> checks their range).</summary>
    public static long[] ToTargets(byte[] bytes)
    {
        if (bytes.Length % sizeof(int) != 0)
            throw new ArgumentException($"{bytes.Length} bytes are not whole int32 neighbour targets.", nameof(bytes));
        var values = MemoryMarshal.Cast<byte, int>(bytes.AsSpan());
        var targets = new long[values.Length];
        for (int i = 0; i < values.Length; i++) targets[i] = values[i];
        return targets;
    }
}
