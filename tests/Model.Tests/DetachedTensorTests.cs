using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests;

/// <summary>
/// <see cref="DetachedTensor"/>'s copies: outside autograd, with the source's values, and (for <c>Copy</c>) storage of
/// their own. The finalizer race the helpers exist for could not be provoked on demand (a 4-second loop of checkpoint
/// writes under <c>GcPressure</c> passed on the old code too), so these tests check what the helpers return.
/// </summary>
public sealed class DetachedTensorTests
{
    [Fact]
    public void Copy_OfAParameter_HasItsValuesNoGradientAndItsOwnStorage()
    {
        using var generator = new Generator(7);
        using var parameter = new TorchSharp.Modules.Parameter(randn([3, 5], generator: generator));
        float[] before = parameter.data<float>().ToArray();

        using var copy = DetachedTensor.Copy(parameter);
        using (no_grad())
        using (var two = 2.0f.ToScalar())
            parameter.mul_(two);

        Assert.False(copy.requires_grad);
        Assert.Equal(before, copy.data<float>().ToArray());
        Assert.Equal(before.Select(v => 2 * v).ToArray(), parameter.data<float>().ToArray());
    }

    [Fact]
    public void OnCpu_OfAStridedView_IsContiguousWithTheViewsValues()
    {
        using var flat = arange(12, ScalarType.Float32);
        using var whole = flat.reshape(3, 4);
        using var transposed = whole.t();
        float[] expected = [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11];

        using var onCpu = DetachedTensor.OnCpu(transposed);

        Assert.False(transposed.is_contiguous());
        Assert.True(onCpu.is_contiguous());
        Assert.Equal(DeviceType.CPU, onCpu.device_type);
        Assert.Equal(expected, onCpu.data<float>().ToArray());
    }
}
