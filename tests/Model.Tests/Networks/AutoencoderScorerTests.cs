using TorchSharp;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Model.Tests.Networks;

/// <summary>
/// The autoencoder's ranking a range of items at a time (so a large catalog never needs a [users × items] tensor)
/// against each row's top items taken on the host from the whole score matrix.
/// </summary>
public sealed class AutoencoderScorerTests
{
    private const int Items = 257;

    private static readonly Lazy<Model.Data.DataSplit> Split = new(() => PlantedSplit.Create(120, 40, Items, 4, seed: 21));

    /// <summary>An untrained [257-16-8-16-257] network: its scores are as good as any for comparing rankings.</summary>
    private static AutoencoderNetwork SmallNetwork(int seed, ModelKind kind = ModelKind.Vae) =>
        new(new AutoencoderConfig { Kind = kind, ItemCount = Items, HiddenDims = [16], LatentDim = 8 }, seed: seed);

    /// <summary>The whole-matrix path: the evaluator masks and ranks what <see cref="IRecommenderScorer.Score"/> returns.</summary>
    private sealed class WholeMatrix(AutoencoderScorer inner) : IRecommenderScorer
    {
        public int ItemCount => inner.ItemCount;
        public torch.Tensor Score(Model.Data.ClickMatrix foldIn, int start, int count) => inner.Score(foldIn, start, count);
    }

    [Theory]
    [InlineData(ModelKind.Vae, 100, 1)]   // ranges of k = 100 items (the width never drops below k): 100, 100, 57
    [InlineData(ModelKind.Vae, 10, 37)]   // ranges of 37 items, the last one 35 wide
    [InlineData(ModelKind.Dae, 20, 64)]
    public void TopItems_ItemRanges_RankAsTheWholeScoreMatrix(ModelKind kind, int k, int itemsPerRange)
    {
        using var network = SmallNetwork(seed: 3, kind);
        var users = Split.Value.Test;
        int count = users.UserCount;
        var ranged = new AutoencoderScorer(network, maxScoresPerRange: (long)count * itemsPerRange);

        long[] actual = ranged.TopItems(users.FoldIn, 0, count, k);
        using var whole = ranged.Score(users.FoldIn, 0, count);
        float[] scores = whole.data<float>().ToArray();

        WholeMatrixRanking.AssertRanksAs(actual, scores, users.FoldIn, 0, count, Items, k);
    }

    [Fact]
    public void Evaluate_OneRange_GivesTheWholeMatrixMetricsExactly()
    {
        using var network = SmallNetwork(seed: 4);
        var evaluator = new RankingEvaluator([RankingMetric.Ndcg(100), RankingMetric.Recall(20)], batchSize: 17);
        var scorer = new AutoencoderScorer(network);

        var ranged = evaluator.Evaluate(scorer, Split.Value.Test);
        var whole = evaluator.Evaluate(new WholeMatrix(scorer), Split.Value.Test);

        for (int m = 0; m < 2; m++)
            Assert.Equal(whole.PerUser.Values(m).ToArray(), ranged.PerUser.Values(m).ToArray());
    }

    [Theory]
    [InlineData(7)]     // groups of 7 users, the last one 5 wide (40 test users)
    [InlineData(1)]     // a bound below one user's scores still ranks one user at a time
    public void TopItems_ItemItemTerm_RanksGroupsOfUsersAsTheWholeScoreMatrix(int usersPerGroup)
    {
        var config = new AutoencoderConfig { Kind = ModelKind.Dae, ItemCount = Items, HiddenDims = [], LatentDim = 8, ItemNeighbours = 12 };
        using var network = new AutoencoderNetwork(config, seed: 6);
        network.SetNeighbourTargets(ItemNeighbourhood.Build(Split.Value.Train, 12));
        NeighbourWeights.FillRandom(network, seed: 2);
        var users = Split.Value.Test;
        int count = users.UserCount;
        var grouped = new AutoencoderScorer(network, maxScoresPerRange: usersPerGroup == 1 ? 10 : (long)usersPerGroup * Items);

        long[] actual = grouped.TopItems(users.FoldIn, 0, count, 20);
        using var whole = grouped.Score(users.FoldIn, 0, count);

        WholeMatrixRanking.AssertRanksAs(actual, whole.data<float>().ToArray(), users.FoldIn, 0, count, Items, 20);
    }

    [Fact]
    public void TopItems_NaNWeights_AreRefusedWithTheUsers()
    {
        using var network = SmallNetwork(seed: 5);
        using (torch.no_grad()) network.OutputLayer.Bias[200] = torch.tensor(float.NaN);
        var scorer = new AutoencoderScorer(network, maxScoresPerRange: 40L * 50);

        var error = Assert.Throws<InvalidOperationException>(() => scorer.TopItems(Split.Value.Test.FoldIn, 0, 40, 100));
        Assert.Contains("NaN scores for users [0, 40)", error.Message);
    }
}
