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
    public void LearningRateAt_CosineDecay_FallsAlongAHalfCosineThenStaysAtItsEnd()
    {
        var options = new AdamOptions { LearningRate = 0.01, CosineDecaySteps = 4 };
        // ½(1 + cos(πk/4)) for k = t − 1 = 0..4 is 1, (2 + √2)/4, ½, (2 − √2)/4, 0; past T it stays 0.
        double[] expected = [0.01, 0.01 * (2 + Math.Sqrt(2)) / 4, 0.005, 0.01 * (2 - Math.Sqrt(2)) / 4, 0, 0];
        for (int t = 1; t <= 6; t++) Assert.Equal(expected[t - 1], options.LearningRateAt(t), 15);
        Assert.Equal(0.01, new AdamOptions { LearningRate = 0.01 }.LearningRateAt(1_000));
        Assert.Throws<ArgumentException>(() => new AdamOptions { CosineDecaySteps = -1 }.Validate());
    }

    [Fact]
    public void Step_ConstantGradientWithCosineDecay_MovesEachEntryByTheSumOfTheStepSizes()
    {
        // With a constant gradient the bias-corrected m̂ / √v̂ is exactly sign(g) (up to ε), so each update moves an entry
        // by that update's step size: five updates over T = 4 move it by 0.01 · (1 + (2+√2)/4 + ½ + (2−√2)/4 + 0) = 0.025.
        using var parameter = torch.zeros(3);
        using var adam = new AdamOptimizer([parameter], new AdamOptions { LearningRate = 0.01, CosineDecaySteps = 4 });
        using var gradient = torch.tensor(new float[] { 1f, -3f, 0.5f });
        for (int t = 0; t < 5; t++) adam.Step([gradient]);
        double[] expected = [-0.025, 0.025, -0.025];
        var actual = parameter.data<float>().ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], actual[i], 6);
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
