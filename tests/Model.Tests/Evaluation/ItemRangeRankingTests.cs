using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Model.Tests.Evaluation;

/// <summary>
/// Ranking by item ranges over a known score matrix: the host's ranking of the whole matrix, fold-in items excluded,
/// and each range's scores freed before the next range's are asked for (so a large catalog's ranges never pile up).
/// </summary>
public sealed class ItemRangeRankingTests
{
    private const int Rows = 5, Items = 23, K = 4;

    // Fold-in clicks; row 3 has none, row 4 clicks across two ranges of 6.
    private static readonly ClickMatrix FoldIn = ClickMatrix.FromPairs(Rows, Items, [0, 0, 1, 2, 2, 2, 4, 4], [1, 17, 22, 0, 5, 6, 11, 12]);

    private static torch.Tensor FlatIndices() =>
        torch.tensor(Enumerable.Range(0, Rows).SelectMany(r => FoldIn.Row(r).ToArray().Select(i => (long)r * Items + i)).ToArray());

    [Theory]
    [InlineData(6, 4)]   // ranges of 6 items: 6, 6, 6, 5
    [InlineData(2, 6)]   // ranges of k = 4 items (never narrower than k): 4 × 5, then 3
    [InlineData(23, 1)]  // the whole catalog at once
    public void TopItems_KnownScores_RankAsTheHostAndFreeEachRangeBeforeTheNext(int itemsPerRange, int ranges)
    {
        using var scores = torch.rand([Rows, Items], generator: new torch.Generator(11));
        using var flat = FlatIndices();
        var given = new List<torch.Tensor>();

        long[] top = ItemRangeRanking.TopItems(Items, Rows, flat, (first, width) =>
        {
            Assert.All(given, earlier => Assert.True(earlier.IsInvalid, "an earlier range's scores are still alive"));
            var range = scores.narrow(1, first, width).clone();
            given.Add(range);
            return range;
        }, K, maxScoresPerRange: (long)Rows * itemsPerRange, what: "rows [0, 5)");

        Assert.Equal(ranges, given.Count);
        Assert.All(given, range => Assert.True(range.IsInvalid));
        WholeMatrixRanking.AssertRanksAs(top, scores.data<float>().ToArray(), FoldIn, 0, Rows, Items, K);
    }

    [Fact]
    public void TopItems_NaNInOneRange_IsRefusedNamingWhat()
    {
        using var scores = torch.rand([Rows, Items], generator: new torch.Generator(12));
        scores[2, 19] = torch.tensor(float.NaN);
        using var flat = FlatIndices();

        var error = Assert.Throws<InvalidOperationException>(() => ItemRangeRanking.TopItems(Items, Rows, flat,
            (first, width) => scores.narrow(1, first, width).clone(), K, maxScoresPerRange: Rows * 6L, what: "rows [0, 5)"));
        Assert.Contains("NaN scores for rows [0, 5)", error.Message);
    }
}
