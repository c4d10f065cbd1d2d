using TorchSharp;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Training;

public sealed class AdamOptimizerTests
{
    [Fact]
    public void Step_ThreeUpdates_MatchesScalarReferenceImplementation()
    {
        // 200,003 entries: several vector chunks plus a scalar tail.
        const int n = 200_003;
        using var parameter = torch.linspace(-1, 1, n);
        using var adam = new AdamOptimizer([parameter], new AdamOptions { LearningRate = 0.01 });
        var p = parameter.data<float>().ToArray().Select(x => (double)x).ToArray();
        var m = new double[n];
        var v = new double[n];
        for (int t = 1; t <= 3; t++)
        {
            using var gradient = torch.sin(torch.linspace(0, 10 * t, n)).mul_(0.5f);
            var g = gradient.data<float>().ToArray();
            adam.Step([gradient]);
            for (int i = 0; i < n; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                p[i] -= 0.01 / (1 - Math.Pow(0.9, t)) * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.999, t)) + 1e-8);
            }
        }
        var actual = parameter.data<float>().ToArray();
        for (int i = 0; i < n; i += 997) Assert.True(Math.Abs(p[i] - actual[i]) < 1e-6, $"entry {i}: {actual[i]} vs {p[i]}");
        Assert.True(Math.Abs(p[n - 1] - actual[n - 1]) < 1e-6);
        Assert.Equal(3, adam.StepCount);
    }

    [Fact]
    public void Step_NonContiguousParameter_UsesTensorPathWithSameResultUpToRounding()
    {
        using var contiguous = torch.tensor(new float[] { 0.5f, -0.25f, 1f, 2f });
        using var storage = torch.tensor(new float[] { 0.5f, 9f, -0.25f, 9f, 1f, 9f, 2f, 9f });
        using var strided = storage.view(4, 2)[.., 0];
        Assert.False(strided.is_contiguous());
        using var first = new AdamOptimizer([contiguous], new AdamOptions());
        using var second = new AdamOptimizer([strided], new AdamOptions());
        using var gradient = torch.tensor(new float[] { 1f, -2f, 0.5f, 0f });
        first.Step([gradient]);
        second.Step([gradient]);
        var fused = contiguous.data<float>().ToArray();
        var tensorPath = strided.contiguous().data<float>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(fused[i], tensorPath[i], 6);
        Assert.NotEqual(0.5f, tensorPath[0]);
    }
}
