namespace VaeCfCluster.Model.Distributed;

/// <summary>bfloat16 (the top 16 bits of a float32) encoding for compressed gradients.</summary>
public static class BFloat16Codec
{
    /// <summary>Rounds each value to the nearest bfloat16 (ties to even).</summary>
    public static void Encode(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            uint bits = BitConverter.SingleToUInt32Bits(source[i]);
            destination[i] = float.IsNaN(source[i]) ? (ushort)0x7FC0 : (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
        }
    }

    /// <summary>Widens bfloat16 values to float32 (exact).</summary>
    public static float Decode(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);
}
