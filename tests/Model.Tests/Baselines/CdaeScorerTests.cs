using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Tests.Baselines.Support;

namespace VaeCfCluster.Model.Tests.Baselines;

public sealed class CdaeScorerTests
{
    private static readonly CdaeOptions s_small = new() { Hidden = 6, BatchSize = 8, Epochs = 3, LearningRate = 0.01 };

    [Fact]
    public void Score_HeldOutUsers_EqualsTanhAutoencoderWithZeroUserVector()
    {
        var train = Naive.RandomClicks(users: 20, items: 9, density: 0.3, seed: 31);
        var foldIn = Naive.RandomClicks(users: 4, items: 9, density: 0.4, seed: 32);
        using var scorer = CdaeScorer.Fit(train, s_small);
        var w1 = Naive.ToMatrix(scorer.Parameters.Encoder);
        var w2 = Naive.ToMatrix(scorer.Parameters.Decoder);
        var b1 = scorer.Parameters.EncoderBias.data<float>().ToArray();
        var b2 = scorer.Parameters.DecoderBias.data<float>().ToArray();
        var x = Naive.Dense(foldIn);

        using var scores = scorer.Score(foldIn, 1, 3);
        var s = Naive.ToMatrix(scores);

        for (int u = 0; u < 3; u++)
        {
            var h = new double[6];
            for (int d = 0; d < 6; d++)
            {
                double sum = b1[d];
                for (int i = 0; i < 9; i++) sum += x[u + 1, i] * w1[i, d];
                h[d] = Math.Tanh(sum);
            }
            for (int i = 0; i < 9; i++)
            {
                double sum = b2[i];
                for (int d = 0; d < 6; d++) sum += h[d] * w2[d, i];
                Assert.Equal(Math.Tanh(sum), s[u, i], 5);
            }
        }
    }

    [Fact]
    public void Fit_SmallCase_TrainingLossFalls()
    {
        var train = Naive.RandomClicks(users: 40, items: 12, density: 0.3, seed: 33);
        using var scorer = CdaeScorer.Fit(train, s_small with { Epochs = 40 });

        Assert.Equal(40, scorer.EpochLosses.Count);
        Assert.True(scorer.EpochLosses.TakeLast(5).Average() < 0.7 * scorer.EpochLosses.Take(5).Average(),
            $"loss {scorer.EpochLosses[0]} -> {scorer.EpochLosses[^1]}");
    }

    [Fact]
    public void Fit_SameSeed_GivesTheSameScores()
    {
        var train = Naive.RandomClicks(users: 20, items: 9, density: 0.3, seed: 34);
        using var first = CdaeScorer.Fit(train, s_small);
        using var second = CdaeScorer.Fit(train, s_small);
        using var other = CdaeScorer.Fit(train, s_small with { Seed = 1 });

        using var a = first.Score(train, 0, 20);
        using var b = second.Score(train, 0, 20);
        using var c = other.Score(train, 0, 20);

        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
        Assert.False(a.allclose(c));
    }
}
