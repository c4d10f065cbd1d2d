using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// Adam's update for contiguous float32 CPU tensors in one vectorised pass over (p, g, m, v), split across cores.
/// LibTorch needs about eight element-wise passes for the same update (mul, add, mul, addcmul, sqrt, div, add,
/// addcdiv); the step is memory-bound, so one pass is about 4x faster at ML-20M's 24.5M parameters (see
/// docs/benchmarks.md). The arithmetic is the same as <see cref="AdamOptimizer"/>'s tensor path, in float32.
/// </summary>
internal static class FusedAdamKernel
{
    private const int MinimumChunk = 1 << 16;

    /// <summary>Whether the fused kernel can update these tensors (all CPU, float32, contiguous).</summary>
    public static bool Supports(params Tensor[] tensors) =>
        tensors.All(t => t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32 && t.is_contiguous());

    /// <summary>m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; p ← p − stepSize · m / (√v / rootCorrection + ε).</summary>
    public static void Step(Tensor parameter, Tensor gradient, Tensor firstMoment, Tensor secondMoment,
        float beta1, float beta2, float stepSize, float rootCorrection, float epsilon)
    {
        int length = checked((int)parameter.numel());
        int chunks = Math.Max(1, Math.Min(torch.get_num_threads(), length / MinimumChunk));
        int perChunk = (length + chunks - 1) / chunks;
        Parallel.For(0, chunks, chunk =>
        {
            int start = chunk * perChunk;
            int count = Math.Min(perChunk, length - start);
            if (count <= 0) return;
            Update(Floats(parameter).Slice(start, count), Floats(gradient).Slice(start, count),
                Floats(firstMoment).Slice(start, count), Floats(secondMoment).Slice(start, count),
                beta1, beta2, stepSize, rootCorrection, epsilon);
        });
    }

    private static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    private static void Update(Span<float> p, Span<float> g, Span<float> m, Span<float> v,
        float beta1, float beta2, float stepSize, float rootCorrection, float epsilon)
    {
        int width = Vector<float>.Count, i = 0;
        var b1 = new Vector<float>(beta1);
        var c1 = new Vector<float>(1 - beta1);
        var b2 = new Vector<float>(beta2);
        var c2 = new Vector<float>(1 - beta2);
        var step = new Vector<float>(stepSize);
        var root = new Vector<float>(rootCorrection);
        var eps = new Vector<float>(epsilon);
        for (; i + width <= p.Length; i += width)
        {
            var gi = new Vector<float>(g[i..]);
            var mi = b1 * new Vector<float>(m[i..]) + c1 * gi;
            var vi = b2 * new Vector<float>(v[i..]) + c2 * (gi * gi);
            mi.CopyTo(m[i..]);
            vi.CopyTo(v[i..]);
            (new Vector<float>(p[i..]) - step * mi / (Vector.SquareRoot(vi) / root + eps)).CopyTo(p[i..]);
        }
        for (; i < p.Length; i++)
        {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * (g[i] * g[i]);
            p[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / rootCorrection + epsilon);
        }
    }
}
