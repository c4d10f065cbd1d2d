using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Networks;

/// <summary>bf16 products change the arithmetic, not the model: float32 results and gradients close to fp32's.</summary>
public sealed class MatmulPrecisionTests
{
    private static readonly AutoencoderConfig Config = new() { ItemCount = 300, HiddenDims = [64], LatentDim = 16 };

    private static ClickMatrix RandomClicks()
    {
        var random = new Random(5);
        var users = new List<int>();
        var items = new List<int>();
        for (int u = 0; u < 40; u++)
            foreach (int i in Enumerable.Range(0, 300).Where(_ => random.NextDouble() < 0.05).DefaultIfEmpty(u))
            {
                users.Add(u);
                items.Add(i);
            }
        return ClickMatrix.FromPairs(40, 300, users.ToArray(), items.ToArray());
    }

    /// <summary>The logits of one forward pass and every parameter's gradient for one batch.</summary>
    private static (float[] Output, float[][] Gradients, torch.ScalarType OutputType) Step(MatmulPrecision precision)
    {
        using var network = new AutoencoderNetwork(Config, seed: 3) { Precision = precision };
        var clicks = RandomClicks();
        int[] rows = Enumerable.Range(0, 40).ToArray();
        using var scope = torch.NewDisposeScope();
        var batch = SparseBatch.Create(clicks, rows, dropoutRate: 0, seed: 1, epoch: 0);
        var noise = torch.zeros(40, Config.LatentDim);
        var (output, _, _) = network.Forward(batch, noise);
        GradientComputer.ClearGradients(network);
        GradientComputer.Accumulate(network, clicks, rows, seed: 1, epoch: 0, beta: 0.2, globalBatchUsers: 40);
        var gradients = network.OrderedParameters.Select(p => p.Tensor.grad!.data<float>().ToArray()).ToArray();
        Assert.All(network.OrderedParameters, p => Assert.Equal(torch.ScalarType.Float32, p.Tensor.grad!.dtype));
        return (output.data<float>().ToArray(), gradients, output.dtype);
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    [Fact]
    public void Bf16_Forward_IsFloat32AndWithinBfloat16RoundingOfFp32()
    {
        var fp32 = Step(MatmulPrecision.Fp32);
        var bf16 = Step(MatmulPrecision.Bf16);
        Assert.Equal(torch.ScalarType.Float32, bf16.OutputType);
        double maxAbs = fp32.Output.Max(v => Math.Abs(v));
        double maxDiff = fp32.Output.Zip(bf16.Output, (a, b) => Math.Abs(a - b)).Max();
        // bfloat16 keeps 8 mantissa bits (relative rounding 2^-9 per input); products over 64 hidden units stay within a few percent.
        Assert.True(maxDiff < 0.05 * maxAbs, $"largest difference {maxDiff} against largest logit {maxAbs}");
        Assert.True(maxDiff > 0, "bf16 products should round differently from fp32 ones");
    }

    [Fact]
    public void Bf16_Gradients_ReachEveryFloat32ParameterPointingTheSameWayAsFp32()
    {
        var fp32 = Step(MatmulPrecision.Fp32);
        var bf16 = Step(MatmulPrecision.Bf16);
        for (int p = 0; p < fp32.Gradients.Length; p++)
            Assert.True(Cosine(fp32.Gradients[p], bf16.Gradients[p]) > 0.99, $"parameter {p}: cosine {Cosine(fp32.Gradients[p], bf16.Gradients[p])}");
    }

    [Fact]
    public void Tf32_OnTheCpu_IsExactlyFp32()
    {
        var fp32 = Step(MatmulPrecision.Fp32);
        var tf32 = Step(MatmulPrecision.Tf32);
        Assert.Equal(fp32.Output, tf32.Output);
        for (int p = 0; p < fp32.Gradients.Length; p++) Assert.Equal(fp32.Gradients[p], tf32.Gradients[p]);
    }

    [Theory]
    [InlineData("fp32", MatmulPrecision.Fp32)]
    [InlineData("TF32", MatmulPrecision.Tf32)]
    [InlineData("bfloat16", MatmulPrecision.Bf16)]
    public void TryParse_KnownNames_GiveThePrecision(string text, MatmulPrecision expected)
    {
        Assert.True(MatmulPrecisionNames.TryParse(text, out var precision));
        Assert.Equal(expected, precision);
        Assert.True(MatmulPrecisionNames.TryParse(precision.Name(), out var again));
        Assert.Equal(expected, again);
    }

    [Fact]
    public void TryParse_Fp16_IsRefused() => Assert.False(MatmulPrecisionNames.TryParse("fp16", out _));
}
