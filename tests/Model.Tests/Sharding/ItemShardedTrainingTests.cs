using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Sharding;

/// <summary>The single-process trainer with item shards: the unsharded run's model, merged top items, resumable checkpoints.</summary>
public sealed class ItemShardedTrainingTests : IDisposable
{
    private static readonly Lazy<DataSplit> Split = new(() => StrongGeneralizationSplitter.Split(
        SyntheticDataGenerator.Generate(SyntheticDataOptions.Small), new SplitOptions { HeldOutUserCount = 200, Seed = 3 }));

    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-item-shards-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TrainerOptions Options(int shards, int epochs = 4) =>
        new() { Epochs = epochs, BatchSize = 100, Seed = 9, ItemShards = shards, Threads = 1 };

    [Fact]
    public void Train_ThreeItemShards_SameEpochsAndTestMetricsAsUnsharded()
    {
        var config = AutoencoderConfig.ForVae(Split.Value.ItemCount);
        var whole = new Trainer(Options(0)).Train(Split.Value, config);
        var sharded = new Trainer(Options(3)).Train(Split.Value, config);

        Assert.Equal(whole.BestEpoch, sharded.BestEpoch);
        for (int e = 0; e < whole.History.Count; e++)
        {
            Assert.Equal(whole.History[e].Loss, sharded.History[e].Loss, 3);
            Assert.Equal(whole.History[e].ValidationNdcg100, sharded.History[e].ValidationNdcg100, 3);
        }
        foreach (var metric in RankingMetric.PaperMetrics)
            Assert.Equal(whole.Test[metric].Mean, sharded.Test[metric].Mean, 3);
    }

    [Fact]
    public void TopItems_MergedFromShards_EqualTheWholeNetworksRanking()
    {
        var config = AutoencoderConfig.ForVae(Split.Value.ItemCount);
        using var network = new AutoencoderNetwork(config, seed: 4);
        using var model = ItemShardedModel.FromNetwork(network, 4, new AdamOptions());
        var metrics = RankingMetric.PaperMetrics;
        var evaluator = new RankingEvaluator(metrics, batchSize: 64);
        var expected = evaluator.Evaluate(new AutoencoderScorer(network), Split.Value.Test);
        var actual = evaluator.Evaluate(new ItemShardedScorer(model), Split.Value.Test);
        foreach (var metric in metrics) Assert.Equal(expected[metric].Mean, actual[metric].Mean, 6);
        Assert.True(expected[RankingMetric.Ndcg(100)].Mean > 0);
    }

    [Fact]
    public void Train_ResumedFromAnItemShardedCheckpoint_EqualsTheUninterruptedRun()
    {
        var config = AutoencoderConfig.ForDae(Split.Value.ItemCount);
        string checkpoint = Path.Combine(_folder, "checkpoint.vaecf");
        var straight = new Trainer(Options(2, epochs: 4)).Train(Split.Value, config);
        new Trainer(Options(2, epochs: 2) with { CheckpointPath = checkpoint }).Train(Split.Value, config);
        var resumed = new Trainer(Options(2, epochs: 4) with { CheckpointPath = checkpoint, Resume = true }).Train(Split.Value, config);

        Assert.Equal(4, resumed.History.Count);
        for (int e = 0; e < 4; e++) Assert.Equal(straight.History[e].Loss, resumed.History[e].Loss, 6);
        Assert.Equal(straight.Test[RankingMetric.Ndcg(100)].Mean, resumed.Test[RankingMetric.Ndcg(100)].Mean, 6);
    }
}
