using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class PlantedClickSamplerTests
{
    [Fact]
    public void Sample_TwoDraws_InclusionProbabilitiesMatchSuccessiveSampling()
    {
        // 130 items over three blocks of 64 (the last padded with zeros).
        const int items = 130, padded = 192, trials = 40_000;
        var source = new Random(9);
        var weights = new float[padded];
        for (int i = 0; i < items; i++) weights[i] = (float)(0.05 + source.NextDouble() * (i % 17 == 0 ? 20 : 1));
        double total = weights.Sum(w => (double)w);

        var sampler = new PlantedClickSampler(items, padded);
        var random = new DeterministicRandom(4);
        var hits = new int[items];
        var drawn = new int[2];
        for (int t = 0; t < trials; t++)
        {
            sampler.Sample((float[])weights.Clone(), random, drawn);
            Assert.True(drawn[0] < drawn[1], "two distinct items, sorted");
            hits[drawn[0]]++;
            hits[drawn[1]]++;
        }

        for (int i = 0; i < items; i++)
        {
            // P(i in sample) = w_i/W + sum over j != i of (w_j/W) (w_i/(W - w_j)).
            double exact = weights[i] / total;
            for (int j = 0; j < items; j++)
                if (j != i) exact += weights[j] / total * (weights[i] / (total - weights[j]));
            double observed = (double)hits[i] / trials;
            double sd = Math.Sqrt(exact * (1 - exact) / trials);
            Assert.InRange(observed, exact - 5 * sd - 1e-3, exact + 5 * sd + 1e-3);
        }
    }

    [Fact]
    public void Sample_AllItems_ReturnsEachOnceEvenWithZeroWeights()
    {
        var weights = new float[64];
        weights[3] = 1;
        var drawn = new int[10];

        new PlantedClickSampler(10, 64).Sample(weights, new DeterministicRandom(1), drawn);

        Assert.Equal(Enumerable.Range(0, 10), drawn);
    }
}
