using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Baselines;

public sealed class PopularityScorerTests
{
    // Users x items:      i0 i1 i2 i3
    //   u0                 1  1  .  .
    //   u1                 1  .  .  1
    //   u2                 1  1  .  .
    // Hand counts: i0 = 3, i1 = 2, i2 = 0, i3 = 1.
    private static readonly ClickMatrix s_train =
        ClickMatrix.FromPairs(3, 4, new[] { 0, 0, 1, 1, 2, 2 }, new[] { 0, 1, 0, 3, 1, 0 });

    [Fact]
    public void Score_SmallMatrix_EveryRowHoldsHandCountedClicks()
    {
        using var scorer = PopularityScorer.Fit(s_train);
        var foldIn = ClickMatrix.FromPairs(2, 4, new[] { 0, 1 }, new[] { 2, 3 });

        using var scores = scorer.Score(foldIn, 0, 2);

        Assert.Equal(new long[] { 2, 4 }, scores.shape);
        Assert.Equal(new float[] { 3, 2, 0, 1, 3, 2, 0, 1 }, scores.data<float>().ToArray());
    }

    [Fact]
    public void Score_RowRangeOutsideFoldIn_Throws()
    {
        using var scorer = PopularityScorer.Fit(s_train);
        var foldIn = ClickMatrix.FromPairs(2, 4, new[] { 0 }, new[] { 2 });

        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Score(foldIn, 1, 2));
        Assert.Throws<ArgumentException>(() => scorer.Score(ClickMatrix.FromPairs(1, 5, new[] { 0 }, new[] { 4 }), 0, 1));
    }
}
