using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Distributed;

/// <summary>Small dense tensors as little-endian bytes, for what must cross silos ([B, H] activations and gradients, per-user scalars).</summary>
public static class TensorBytes
{
    /// <summary>The float32 values of <paramref name="tensor"/> in row-major order.</summary>
    public static byte[] Of(Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        var values = tensor.detach().to(ScalarType.Float32).contiguous().cpu();
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)values.numel() * sizeof(float)));
        values.data<float>().CopyTo(MemoryMarshal.Cast<byte, float>(bytes.AsSpan()));
        return bytes;
    }

    /// <summary>The int64 values of <paramref name="tensor"/> in row-major order.</summary>
    public static byte[] OfInt64(Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        var values = tensor.detach().to(ScalarType.Int64).contiguous().cpu();
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)values.numel() * sizeof(long)));
        values.data<long>().CopyTo(MemoryMarshal.Cast<byte, long>(bytes.AsSpan()));
        return bytes;
    }

    /// <summary>float32 <paramref name="bytes"/> as a [rows, n / rows] tensor on <paramref name="device"/>.</summary>
    public static Tensor ToTensor(byte[] bytes, int rows, Device device)
    {
        var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
        if (rows < 1 || values.Length % rows != 0)
            throw new ArgumentException($"{values.Length} values do not make {rows} rows.", nameof(rows));
        // The host tensor stays reachable (in the scope) while LibTorch copies it to the device.
        using var scope = torch.NewDisposeScope();
        var host = torch.tensor(values.ToArray(), [rows, values.Length / rows]);
        return scope.MoveToOuter(host.to(device));
    }

    /// <summary>int64 <paramref name="bytes"/> as a [rows, n / rows] tensor on <paramref name="device"/>.</summary>
    public static Tensor ToInt64Tensor(byte[] bytes, int rows, Device device)
    {
        var values = MemoryMarshal.Cast<byte, long>(bytes.AsSpan());
        if (rows < 1 || values.Length % rows != 0)
            throw new ArgumentException($"{values.Length} values do not make {rows} rows.", nameof(rows));
        // The host tensor stays reachable (in the scope) while LibTorch copies it to the device.
        using var scope = torch.NewDisposeScope();
        var host = torch.tensor(values.ToArray(), [rows, values.Length / rows]);
        return scope.MoveToOuter(host.to(device));
    }
}
