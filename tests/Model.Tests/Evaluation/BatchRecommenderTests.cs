using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Tests.Evaluation;

/// <summary>Top-N for many users at once, against each user's scores sorted on the host.</summary>
public sealed class BatchRecommenderTests
{
    private const int Items = 60;

    /// <summary>Every user's best items outside their clicks, from the whole score matrix sorted on the host.</summary>
    private static int[][] Expected(float[] scores, ClickMatrix clicks, int top) =>
        Enumerable.Range(0, clicks.RowCount).Select(u =>
        {
            var history = clicks.Row(u).ToArray();
            return Enumerable.Range(0, Items).Where(i => !history.Contains(i))
                .OrderByDescending(i => scores[u * Items + i]).Take(top).ToArray();
        }).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Recommend_AnyBatchSize_GivesEachUsersBestUnclickedItems(int batchSize)
    {
        var clicks = EvaluationTestData.Random(seed: 3, users: 23, items: Items, maxClicks: 12).FoldIn;
        using var network = new AutoencoderNetwork(new AutoencoderConfig { Kind = ModelKind.Vae, ItemCount = Items, HiddenDims = [16], LatentDim = 8 }, seed: 9);
        var scorer = new AutoencoderScorer(network, maxScoresPerRange: 23 * 13);   // ranges of 13 items, merged
        using var whole = scorer.Score(clicks, 0, clicks.RowCount);
        var expected = Expected(whole.data<float>().ToArray(), clicks, top: 10);

        var actual = BatchRecommender.Recommend(scorer, clicks, top: 10, batchSize).ToArray();

        Assert.Equal(Enumerable.Range(0, clicks.RowCount), actual.Select(r => r.Row));
        for (int u = 0; u < clicks.RowCount; u++) Assert.Equal(expected[u], actual[u].Items);
    }

    [Fact]
    public void Recommend_FewerUnclickedItemsThanAsked_GivesOnlyThose()
    {
        // User 0 clicked all but items 2 and 5; user 1 clicked nothing.
        var clicked = Enumerable.Range(0, 8).Where(i => i is not 2 and not 5).ToArray();
        var clicks = ClickMatrix.FromPairs(2, 8, new int[clicked.Length], clicked);
        var scores = FixedScorer.FromRows([8, 7, 1, 6, 5, 3, 4, 2], [8, 7, 1, 6, 5, 3, 4, 2]);

        var actual = BatchRecommender.Recommend(scores, clicks, top: 4, batchSize: 2).ToArray();

        Assert.Equal([5, 2], actual[0].Items);
        Assert.Equal([0, 1, 3, 4], actual[1].Items);
    }

    [Fact]
    public void Recommend_CatalogOfAnotherSize_IsRefused()
    {
        var clicks = ClickMatrix.FromPairs(1, 3, [0], [1]);
        var scorer = FixedScorer.FromRows([1, 2]);
        Assert.Throws<ArgumentException>(() => BatchRecommender.Recommend(scorer, clicks, 1, 1).ToArray());
    }
}
