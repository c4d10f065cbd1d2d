using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model;

/// <summary>
/// Tensor arithmetic that never lets a <see cref="Scalar"/> be finalized while LibTorch uses it.
/// <para>
/// TorchSharp 0.107 turns numbers into <see cref="Scalar"/> objects implicitly (<c>t * 2.0</c>, <c>a + b</c>, which
/// passes an implicit alpha of 1, <c>softplus()</c>), reads their native handle and calls LibTorch. From then on the
/// managed Scalar is unreachable; if another thread triggers a garbage collection during the native call, the
/// finalizer thread frees the native scalar while LibTorch reads it. LibTorch then fails with "Expected false to be
/// true ... toFloat at Scalar.h" or reads garbage. Reproduced here in seconds with a second thread allocating, and
/// seen once in a 100-epoch training run. These helpers keep every Scalar reachable until the call returns
/// (constants are static; others are disposed only afterwards), so code on hot paths uses them instead of operators
/// with numbers or of tensor <c>+</c>/<c>-</c>.
/// </para>
/// </summary>
public static class SafeTensorMath
{
    /// <summary>The scalar 1 (never finalized: statically referenced).</summary>
    public static Scalar One { get; } = 1.0f.ToScalar();

    /// <summary>The integer scalar 1: the alpha of an integer tensor's add (TorchSharp's <c>add(Scalar)</c> passes an implicit one).</summary>
    public static Scalar OneInteger { get; } = 1L.ToScalar();

    /// <summary>The integer scalar 0 (the start of an integer range).</summary>
    public static Scalar ZeroInteger { get; } = 0L.ToScalar();

    /// <summary>The scalar −∞ (for masking scores).</summary>
    public static Scalar NegativeInfinity { get; } = float.NegativeInfinity.ToScalar();

    /// <summary>a² element-wise (TorchSharp's <c>square()</c> is <c>pow(2)</c> with an implicit Scalar).</summary>
    public static Tensor Squared(this Tensor a) => a.mul(a);

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a − b.</summary>
    public static Tensor Minus(this Tensor a, Tensor b) => a.sub(b);

    /// <summary>a + factor · b.</summary>
    public static Tensor PlusScaled(this Tensor a, Tensor b, double factor)
    {
        using var alpha = factor.ToScalar();
        return a.add(b, alpha);
    }

    /// <summary>a += factor · b, in place.</summary>
    public static Tensor AddScaledInPlace(this Tensor a, Tensor b, double factor)
    {
        using var alpha = factor.ToScalar();
        return a.add_(b, alpha);
    }

    /// <summary>factor · a.</summary>
    public static Tensor Times(this Tensor a, double factor)
    {
        using var s = factor.ToScalar();
        return a.mul(s);
    }

    /// <summary>a *= factor, in place.</summary>
    public static Tensor TimesInPlace(this Tensor a, double factor)
    {
        using var s = factor.ToScalar();
        return a.mul_(s);
    }

    /// <summary>a / divisor.</summary>
    public static Tensor DividedBy(this Tensor a, double divisor)
    {
        using var s = divisor.ToScalar();
        return a.div(s);
    }

    /// <summary>a + value (element-wise shift).</summary>
    public static Tensor Shifted(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.add(s, One);
    }

    /// <summary>a += value, in place.</summary>
    public static Tensor ShiftInPlace(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.add_(s, One);
    }

    /// <summary>Clamps a in place to [min, max].</summary>
    public static Tensor ClampInPlace(this Tensor a, double min, double max)
    {
        using var low = min.ToScalar();
        using var high = max.ToScalar();
        return a.clamp_(low, high);
    }

    /// <summary>a += b, in place.</summary>
    public static Tensor AddInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a /= divisor, in place.</summary>
    public static Tensor DivideInPlace(this Tensor a, double divisor)
    {
        using var s = divisor.ToScalar();
        return a.div_(s);
    }

    /// <summary>a ← (a ≥ threshold) as 0/1 of a's type, in place.</summary>
    public static Tensor AtLeastInPlace(this Tensor a, double threshold)
    {
        using var s = threshold.ToScalar();
        return a.ge_(s);
    }

    /// <summary>a[index] += source along <paramref name="dim"/>, in place (duplicate indices accumulate).</summary>
    public static Tensor IndexAddInPlace(this Tensor a, long dim, Tensor index, Tensor source) => a.index_add_(dim, index, source, One);

    /// <summary>log(1 + eˣ), computed stably as relu(x) + log1p(e^−|x|) with no Scalar temporaries.</summary>
    public static Tensor Softplus(this Tensor x) => x.relu().Plus(x.abs().neg().exp().log1p());

    /// <summary>Fills the entries at <paramref name="index"/> along <paramref name="dim"/> with −∞, in place.</summary>
    public static Tensor FillNegativeInfinityInPlace(this Tensor a, long dim, Tensor index) => a.index_fill_(dim, index, NegativeInfinity);
}
