using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Tests.Baselines.Support;

namespace VaeCfCluster.Model.Tests.Baselines;

public sealed class EaseScorerTests
{
    [Fact]
    public void Fit_SmallRandomMatrix_EachColumnSolvesItsConstrainedLeastSquares()
    {
        // Column j of B minimises ‖x_j − X b‖² + λ‖b‖² with b_j = 0: over the other items the normal equations
        // read (G + λI)_{−j,−j} b_{−j} = G_{−j,j}. Solved here column by column by Gaussian elimination.
        const double lambda = 3;
        var train = Naive.RandomClicks(users: 40, items: 9, density: 0.35, seed: 11);
        var gram = Naive.Gram(train);
        int n = train.ColumnCount;

        using var scorer = EaseScorer.Fit(train, new EaseOptions { Lambda = lambda });
        var b = Naive.ToMatrix(scorer.Weights);

        for (int j = 0; j < n; j++)
        {
            var others = Enumerable.Range(0, n).Where(i => i != j).ToArray();
            var a = new double[n - 1, n - 1];
            var rhs = new double[n - 1];
            for (int r = 0; r < n - 1; r++)
            {
                rhs[r] = gram[others[r], j];
                for (int c = 0; c < n - 1; c++) a[r, c] = gram[others[r], others[c]] + (r == c ? lambda : 0);
            }
            var expected = Naive.Solve(a, rhs);
            Assert.Equal(0, b[j, j]);
            for (int r = 0; r < n - 1; r++) Assert.Equal(expected[r], b[others[r], j], 5);
        }
    }

    [Fact]
    public void Fit_SmallRandomMatrix_SatisfiesKktOffTheDiagonal()
    {
        // (G + λI) B_:j = G_:j at every row except j (row j carries the multiplier of the constraint B_jj = 0).
        const double lambda = 0.5;
        var train = Naive.RandomClicks(users: 25, items: 12, density: 0.3, seed: 5);
        var gram = Naive.Gram(train);
        int n = train.ColumnCount;

        using var scorer = EaseScorer.Fit(train, new EaseOptions { Lambda = lambda });
        var b = Naive.ToMatrix(scorer.Weights);

        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
            {
                if (i == j) continue;
                double lhs = lambda * b[i, j];
                for (int k = 0; k < n; k++) lhs += gram[i, k] * b[k, j];
                Assert.Equal(gram[i, j], lhs, 3);
            }
    }

    [Fact]
    public void Score_FoldInBatch_EqualsClicksTimesWeights()
    {
        var train = Naive.RandomClicks(users: 30, items: 7, density: 0.4, seed: 2);
        var foldIn = Naive.RandomClicks(users: 5, items: 7, density: 0.4, seed: 3);
        using var scorer = EaseScorer.Fit(train, new EaseOptions { Lambda = 2 });
        var b = Naive.ToMatrix(scorer.Weights);
        var x = Naive.Dense(foldIn);

        using var scores = scorer.Score(foldIn, 1, 3);
        var s = Naive.ToMatrix(scores);

        for (int u = 0; u < 3; u++)
            for (int j = 0; j < 7; j++)
            {
                double expected = 0;
                for (int k = 0; k < 7; k++) expected += x[u + 1, k] * b[k, j];
                Assert.Equal(expected, s[u, j], 5);
            }
    }

    [Fact]
    public void Fit_NonPositiveLambda_Throws()
    {
        var train = Naive.RandomClicks(users: 5, items: 3, density: 0.5, seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => EaseScorer.Fit(train, new EaseOptions { Lambda = 0 }));
    }
}
