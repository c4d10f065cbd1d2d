using System.Runtime.InteropServices;
using VaeCfCluster.Model.Distributed;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Distributed;

/// <summary><see cref="TensorBytes"/>: the little-endian bytes that cross silos, and tensors rebuilt from them.</summary>
public sealed class TensorBytesTests
{
    [Fact]
    public void Of_AStridedFloatView_IsItsRowMajorValuesAndRebuildsToTheSameRows()
    {
        using var whole = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        using var transposed = whole.t();   // [[1, 4], [2, 5], [3, 6]], not contiguous

        byte[] bytes = TensorBytes.Of(transposed);
        using var rebuilt = TensorBytes.ToTensor(bytes, 3, CPU);

        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], MemoryMarshal.Cast<byte, float>(bytes).ToArray());
        Assert.Equal([3L, 2L], rebuilt.shape);
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], rebuilt.data<float>().ToArray());
    }

    [Fact]
    public void OfInt64_RebuildsTheSameValues_AndARaggedLengthIsRefused()
    {
        using var items = tensor(new long[] { 7, -1, 1L << 40, 0 }, [2, 2]);

        byte[] bytes = TensorBytes.OfInt64(items);
        using var rebuilt = TensorBytes.ToInt64Tensor(bytes, 2, CPU);

        Assert.Equal([7L, -1L, 1L << 40, 0L], rebuilt.data<long>().ToArray());
        Assert.Throws<ArgumentException>(() => TensorBytes.ToInt64Tensor(bytes, 3, CPU));
    }
}
