using System.Numerics;
using System.Runtime.InteropServices;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// bfloat16 (the top 16 bits of a float32: same range, 8 mantissa bits) encoding for compressed gradients, vectorised.
/// </summary>
public static class BFloat16Codec
{
    private const ushort QuietNaN = 0x7FC0;

    /// <summary>Rounds each value to the nearest bfloat16 (ties to even); NaN stays NaN.</summary>
    public static void Encode(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("The destination is shorter than the source.");
        var bits = MemoryMarshal.Cast<float, uint>(source);
        int width = Vector<uint>.Count, i = 0;
        var half = new Vector<uint>(0x7FFF);
        var one = Vector<uint>.One;
        var nan = new Vector<uint>((uint)QuietNaN << 16);
        for (; i + 2 * width <= source.Length; i += 2 * width)
        {
            var low = Round(new Vector<uint>(bits[i..]), new Vector<float>(source[i..]), half, one, nan);
            var high = Round(new Vector<uint>(bits[(i + width)..]), new Vector<float>(source[(i + width)..]), half, one, nan);
            Vector.Narrow(low, high).CopyTo(destination[i..]);
        }
        for (; i < source.Length; i++) destination[i] = Encode(source[i]);
    }

    /// <summary>One value rounded to the nearest bfloat16 (ties to even).</summary>
    public static ushort Encode(float value)
    {
        if (float.IsNaN(value)) return QuietNaN;
        uint bits = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    /// <summary>Widens bfloat16 values to float32 (exact).</summary>
    public static float Decode(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);

    /// <summary>target[i] += decode(source[i]).</summary>
    public static void AddDecoded(Span<float> target, ReadOnlySpan<ushort> source)
    {
        if (source.Length != target.Length) throw new ArgumentException("Spans differ in length.");
        int width = Vector<uint>.Count, i = 0;
        for (; i + 2 * width <= target.Length; i += 2 * width)
        {
            Vector.Widen(new Vector<ushort>(source[i..]), out var low, out var high);
            (new Vector<float>(target[i..]) + Vector.AsVectorSingle(Vector.ShiftLeft(low, 16))).CopyTo(target[i..]);
            (new Vector<float>(target[(i + width)..]) + Vector.AsVectorSingle(Vector.ShiftLeft(high, 16))).CopyTo(target[(i + width)..]);
        }
        for (; i < target.Length; i++) target[i] += Decode(source[i]);
    }

    private static Vector<uint> Round(Vector<uint> bits, Vector<float> values, Vector<uint> half, Vector<uint> one, Vector<uint> nan)
    {
        var rounded = bits + half + (Vector.ShiftRightLogical(bits, 16) & one);
        return Vector.ShiftRightLogical(Vector.ConditionalSelect(Vector.AsVectorUInt32(Vector.Equals(values, values)), rounded, nan), 16);
    }
}
