using VaeCfCluster.Model.RecVae;
using Xunit;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.RecVae;

public sealed class RecVaeDensityTests
{
    [Fact]
    public void LogNormal_MatchesTheGaussianDensityInDoubles()
    {
        double[] x = [0.3, -1.2, 2.5], mu = [0.1, 0.4, -0.5], logVar = [0.0, -1.0, 1.5];
        using var result = RecVaeDensity.LogNormal(tensor(x.Select(v => (float)v).ToArray()), tensor(mu.Select(v => (float)v).ToArray()),
            tensor(logVar.Select(v => (float)v).ToArray()));
        var values = result.data<float>().ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            double variance = Math.Exp(logVar[i]);
            double expected = Math.Log(Math.Exp(-(x[i] - mu[i]) * (x[i] - mu[i]) / (2 * variance)) / Math.Sqrt(2 * Math.PI * variance));
            Assert.Equal(expected, values[i], 5);
        }
    }

    [Fact]
    public void LogCompositePrior_IsTheLogOfTheWeightedMixture()
    {
        double[] z = [0.0, 1.5, -4.0, 30.0], oldMu = [0.2, 1.0, -3.0, 0.0], oldLogVar = [-2.0, 0.5, 0.0, -1.0];
        double[] weights = [3.0 / 20, 3.0 / 4, 1.0 / 10];
        using var result = RecVaeDensity.LogCompositePrior(tensor(z.Select(v => (float)v).ToArray()),
            tensor(oldMu.Select(v => (float)v).ToArray()), tensor(oldLogVar.Select(v => (float)v).ToArray()), weights);
        var values = result.data<float>().ToArray();
        for (int i = 0; i < z.Length; i++)
        {
            static double Density(double x, double mean, double variance) =>
                Math.Exp(-(x - mean) * (x - mean) / (2 * variance)) / Math.Sqrt(2 * Math.PI * variance);
            double mixture = weights[0] * Density(z[i], 0, 1) + weights[1] * Density(z[i], oldMu[i], Math.Exp(oldLogVar[i]))
                             + weights[2] * Density(z[i], 0, Math.Exp(10));
            Assert.Equal(Math.Log(mixture), values[i], 4);
        }
    }
}
