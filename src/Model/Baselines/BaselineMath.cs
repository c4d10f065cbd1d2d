using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Baselines;

/// <summary>
/// The few scalar-taking tensor operations the baselines need beyond <see cref="SafeTensorMath"/>, written so that
/// every <see cref="Scalar"/> handed to LibTorch stays reachable until the native call returns (see
/// <see cref="SafeTensorMath"/> for why: TorchSharp's implicit Scalars can be finalized mid-call under GC pressure).
/// Note that TorchSharp's own <c>square()</c> is <c>pow(2)</c> and <c>add_(Tensor)</c> is <c>add_(t, 1)</c>, both
/// with implicit Scalars.
/// </summary>
internal static class BaselineMath
{
    /// <summary>The exponent 2 (an integer Scalar, as TorchSharp's <c>square()</c> passes; never finalized).</summary>
    private static readonly Scalar Two = 2.ToScalar();

    /// <summary>x² element-wise (the same LibTorch <c>pow(x, 2)</c> that <c>square()</c> calls).</summary>
    internal static Tensor Squared(this Tensor x) => x.pow(Two);

    /// <summary>a += b, in place.</summary>
    internal static Tensor AddInPlace(this Tensor a, Tensor b) => a.add_(b, SafeTensorMath.One);

    /// <summary>a /= divisor, in place.</summary>
    internal static Tensor DivideInPlace(this Tensor a, double divisor)
    {
        using var s = divisor.ToScalar();
        return a.div_(s);
    }

    /// <summary>a ← (a ≥ threshold) as 0/1 of a's type, in place.</summary>
    internal static Tensor AtLeastInPlace(this Tensor a, double threshold)
    {
        using var s = threshold.ToScalar();
        return a.ge_(s);
    }

    /// <summary>a[index] += source along <paramref name="dim"/>, in place (duplicate indices accumulate).</summary>
    internal static Tensor IndexAddInPlace(this Tensor a, long dim, Tensor index, Tensor source) =>
        a.index_add_(dim, index, source, SafeTensorMath.One);
}
