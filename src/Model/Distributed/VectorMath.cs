using System.Numerics;

namespace VaeCfCluster.Model.Distributed;

/// <summary>Vectorised span arithmetic for gradient sums.</summary>
public static class VectorMath
{
    /// <summary>target[i] += source[i].</summary>
    public static void AddInPlace(Span<float> target, ReadOnlySpan<float> source)
    {
        if (source.Length != target.Length) throw new ArgumentException("Spans differ in length.");
        int width = Vector<float>.Count, i = 0;
        for (; i + width <= target.Length; i += width)
            (new Vector<float>(target[i..]) + new Vector<float>(source[i..])).CopyTo(target[i..]);
        for (; i < target.Length; i++) target[i] += source[i];
    }
}
