using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Tests.Baselines.Support;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Baselines;

public sealed class WmfScorerTests
{
    [Fact]
    public void SolveFactors_SmallCase_EqualsDenseNormalEquations()
    {
        // Every user's factor solves Σ_i c_ui y_i y_iᵀ + λI against Σ_i c_ui p_ui y_i, written out over all items
        // with the confidence matrix explicit (no YᵀY trick), in double precision.
        const double c1 = 7, lambda = 0.3;
        const int items = 10, k = 4;
        var clicks = Naive.RandomClicks(users: 9, items: items, density: 0.35, seed: 21);
        clicks = ClickMatrix.FromPairs(10, items, Rows(clicks), clicks.Columns.ToArray()); // row 9 has no clicks
        var random = new Random(4);
        var y = new double[items, k];
        var flat = new float[items * k];
        for (int i = 0; i < items; i++)
            for (int d = 0; d < k; d++) flat[i * k + d] = (float)(y[i, d] = random.NextDouble() - 0.5);
        using var itemFactors = tensor(flat, new long[] { items, k });
        var p = Naive.Dense(clicks);

        using var solved = WmfAls.SolveFactors(clicks, 0, clicks.RowCount, itemFactors, c1, lambda);
        var x = Naive.ToMatrix(solved);

        for (int u = 0; u < clicks.RowCount; u++)
        {
            var a = new double[k, k];
            var b = new double[k];
            for (int i = 0; i < items; i++)
            {
                double c = p[u, i] == 1 ? c1 : 1;
                for (int r = 0; r < k; r++)
                {
                    b[r] += c * p[u, i] * y[i, r];
                    for (int s = 0; s < k; s++) a[r, s] += c * y[i, r] * y[i, s];
                }
            }
            for (int r = 0; r < k; r++) a[r, r] += lambda;
            var expected = Naive.Solve(a, b);
            for (int r = 0; r < k; r++) Assert.Equal(expected[r], x[u, r], 4);
        }
    }

    [Fact]
    public void Fit_SmallCase_ObjectiveDecreasesMonotonicallyOverSweeps()
    {
        var train = Naive.RandomClicks(users: 30, items: 15, density: 0.25, seed: 8);
        var options = new WmfOptions { Factors = 3, PositiveWeight = 10, Lambda = 0.05, InitialScale = 0.1, Seed = 3 };
        double previous = double.PositiveInfinity;
        for (int sweeps = 1; sweeps <= 6; sweeps++)
        {
            using var scorer = WmfScorer.Fit(train, options with { Sweeps = sweeps });
            double objective = DenseObjective(train, Naive.ToMatrix(scorer.TrainUserFactors), Naive.ToMatrix(scorer.ItemFactors),
                options.PositiveWeight, options.Lambda);
            double fast = WmfAls.Objective(train, scorer.TrainUserFactors, scorer.ItemFactors, options.PositiveWeight, options.Lambda);
            Assert.Equal(objective, fast, 1e-6 * objective);
            Assert.True(objective <= previous * (1 + 1e-6), $"Sweep {sweeps}: objective {objective} rose above {previous}.");
            previous = objective;
        }
    }

    [Fact]
    public void Score_DifferentBatching_GivesTheSameScores()
    {
        var train = Naive.RandomClicks(users: 40, items: 20, density: 0.2, seed: 1);
        var foldIn = Naive.RandomClicks(users: 6, items: 20, density: 0.3, seed: 2);
        using var scorer = WmfScorer.Fit(train, new WmfOptions { Factors = 5, Sweeps = 3 });

        using var all = scorer.Score(foldIn, 0, 6);
        using var part = scorer.Score(foldIn, 2, 3);

        Assert.True(all.narrow(0, 2, 3).allclose(part, rtol: 1e-4, atol: 1e-6));
        Assert.Equal(new long[] { 6, 20 }, all.shape);
    }

    [Fact]
    public void Fit_SameSeed_GivesTheSameFactors()
    {
        var train = Naive.RandomClicks(users: 20, items: 10, density: 0.3, seed: 6);
        var options = new WmfOptions { Factors = 4, Sweeps = 2, Seed = 77 };
        using var first = WmfScorer.Fit(train, options);
        using var second = WmfScorer.Fit(train, options);
        using var third = WmfScorer.Fit(train, options with { Seed = 78 });

        Assert.Equal(first.ItemFactors.data<float>().ToArray(), second.ItemFactors.data<float>().ToArray());
        Assert.False(first.ItemFactors.allclose(third.ItemFactors));
    }

    private static int[] Rows(ClickMatrix clicks)
    {
        var rows = new int[clicks.NonZeroCount];
        for (int u = 0; u < clicks.RowCount; u++)
            for (int p = clicks.RowOffsets[u]; p < clicks.RowOffsets[u + 1]; p++) rows[p] = u;
        return rows;
    }

    private static double DenseObjective(ClickMatrix train, double[,] x, double[,] y, double c1, double lambda)
    {
        var p = Naive.Dense(train);
        int k = x.GetLength(1);
        double total = 0;
        for (int u = 0; u < train.RowCount; u++)
            for (int i = 0; i < train.ColumnCount; i++)
            {
                double s = 0;
                for (int d = 0; d < k; d++) s += x[u, d] * y[i, d];
                total += (p[u, i] == 1 ? c1 : 1) * (p[u, i] - s) * (p[u, i] - s);
            }
        foreach (var v in x) total += lambda * v * v;
        foreach (var v in y) total += lambda * v * v;
        return total;
    }
}
