using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model;

/// <summary>
/// Detached copies and host views of tensors that keep every intermediate tensor reachable until LibTorch is done
/// with it.
/// <para>
/// A chained call on a temporary, such as <c>tensor.detach().clone()</c> or <c>tensor.detach().to(CPU)</c>, passes the
/// temporary's native handle to LibTorch and then holds no reference to it. Outside a dispose scope, a garbage
/// collection on another thread during that call lets the finalizer free the temporary while LibTorch reads it; a
/// training run failed that way writing its checkpoint at epoch 81 ("Unsupported TypeMeta in ATen" from
/// <c>THSTensor_to_device</c>). The same trap as <see cref="SafeTensorMath"/>'s Scalars, for tensors. These helpers
/// hold each intermediate and free it once the next call has returned.
/// </para>
/// </summary>
public static class DetachedTensor
{
    /// <summary>A copy of <paramref name="tensor"/>'s values, outside autograd, on its device; the caller owns it.</summary>
    public static Tensor Copy(Tensor tensor)
    {
        using var detached = tensor.detach();
        return detached.clone();
    }

    /// <summary>
    /// <paramref name="tensor"/>'s values, outside autograd, as a contiguous tensor on the CPU (the tensor itself, not a
    /// copy, when it already is one); the caller disposes the returned handle.
    /// </summary>
    public static Tensor OnCpu(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(tensor.detach().to(CPU).contiguous());
    }
}
