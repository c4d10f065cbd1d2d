using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Tests.Baselines.Support;

namespace VaeCfCluster.Model.Tests.Baselines;

public sealed class SlimScorerTests
{
    [Fact]
    public void Fit_SmallCase_IsNonNegativeWithZeroDiagonal()
    {
        var train = Naive.RandomClicks(users: 50, items: 12, density: 0.3, seed: 9);
        using var scorer = SlimScorer.Fit(train, new SlimOptions { L1 = 0.5, L2 = 1 });
        var w = Naive.ToMatrix(scorer.Weights);

        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(0, w[i, i]);
            for (int j = 0; j < 12; j++) Assert.True(w[i, j] >= 0);
        }
        Assert.Contains(w.Cast<double>(), v => v > 0);
    }

    [Theory]
    [InlineData(0.5, 1.0)]
    [InlineData(5.0, 0.1)]
    public void Fit_SmallCase_SatisfiesOptimalityConditionsAtConvergence(double l1, double l2)
    {
        // Gradient of the smooth part, d_kj = (GW)_kj − G_kj + β W_kj, plus λ: for k ≠ j it must vanish where
        // W_kj > 0 and be non-negative where W_kj = 0 (Karush-Kuhn-Tucker conditions of W ≥ 0 with the ℓ1 term).
        var train = Naive.RandomClicks(users: 60, items: 10, density: 0.3, seed: 13);
        var g = Naive.Gram(train);
        using var scorer = SlimScorer.Fit(train, new SlimOptions { L1 = l1, L2 = l2, MaxSweeps = 500, Tolerance = 1e-6 });
        var w = Naive.ToMatrix(scorer.Weights);
        int n = train.ColumnCount;
        double scale = g.Cast<double>().Max();

        Assert.True(scorer.Converged);
        int positive = 0;
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
            {
                if (k == j) continue;
                double gradient = -g[k, j] + l2 * w[k, j] + l1;
                for (int m = 0; m < n; m++) gradient += g[k, m] * w[m, j];
                if (w[k, j] > 0) { positive++; Assert.True(Math.Abs(gradient) <= 1e-4 * scale, $"W[{k},{j}] > 0 but gradient {gradient}"); }
                else Assert.True(gradient >= -1e-4 * scale, $"W[{k},{j}] = 0 but gradient {gradient} < 0");
            }
        Assert.True(positive > 0);
    }

    [Fact]
    public void Fit_FewSweeps_EqualsNaiveCoordinateDescentInDouble()
    {
        // The same cyclic order (rows k = 0..I−1, every column), one coordinate at a time, in double precision,
        // recomputing Σ_{l≠k} G_kl W_lj from scratch: checks the incremental GW bookkeeping and the update rule.
        const double l1 = 1, l2 = 0.5;
        const int sweeps = 3;
        var train = Naive.RandomClicks(users: 40, items: 11, density: 0.3, seed: 17);
        var g = Naive.Gram(train);
        int n = train.ColumnCount;
        var expected = new double[n, n];
        for (int sweep = 0; sweep < sweeps; sweep++)
            for (int k = 0; k < n; k++)
                for (int j = 0; j < n; j++)
                {
                    if (k == j) continue;
                    double others = 0;
                    for (int l = 0; l < n; l++) if (l != k) others += g[k, l] * expected[l, j];
                    expected[k, j] = Math.Max(0, (g[k, j] - others - l1) / (g[k, k] + l2));
                }

        using var scorer = SlimScorer.Fit(train, new SlimOptions { L1 = l1, L2 = l2, MaxSweeps = sweeps, Tolerance = 0 });
        var w = Naive.ToMatrix(scorer.Weights);

        Assert.Equal(sweeps, scorer.SweepsRun);
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++) Assert.Equal(expected[k, j], w[k, j], 5);
    }

    [Fact]
    public void Score_FoldInBatch_EqualsClicksTimesWeights()
    {
        var train = Naive.RandomClicks(users: 30, items: 8, density: 0.4, seed: 2);
        var foldIn = Naive.RandomClicks(users: 4, items: 8, density: 0.4, seed: 3);
        using var scorer = SlimScorer.Fit(train, new SlimOptions { L1 = 0.1, L2 = 0.1 });
        var w = Naive.ToMatrix(scorer.Weights);
        var x = Naive.Dense(foldIn);

        using var scores = scorer.Score(foldIn, 0, 4);
        var s = Naive.ToMatrix(scores);

        for (int u = 0; u < 4; u++)
            for (int j = 0; j < 8; j++)
            {
                double expected = 0;
                for (int k = 0; k < 8; k++) expected += x[u, k] * w[k, j];
                Assert.Equal(expected, s[u, j], 5);
            }
    }
}
