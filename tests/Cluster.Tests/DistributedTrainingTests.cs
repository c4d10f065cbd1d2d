using System.Text.Json;
using VaeCfCluster.Cluster.Tests.Support;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>Jobs on the three-silo cluster: evaluation, model download, real data, bad settings, cancellation.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DistributedTrainingTests(ThreeSiloCluster fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-cluster-job-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = 180_000)]
    public async Task TestMetrics_FromEvaluationGrains_EqualSingleProcessEvaluationOfTheDownloadedModel()
    {
        var split = PlantedSplit.Create(200, 47, 70, 3, seed: 21);
        var config = new AutoencoderConfig { ItemCount = 70, HiddenDims = [20], LatentDim = 6 };
        var options = new TrainerOptions { Epochs = 2, BatchSize = 64, Seed = 3, EvaluationBatchSize = 10 };
        var status = await ClusterJobs.TrainAsync(fixture.Grains, "evaluation-exact", split, config, options,
            new ClusterSettings { Workers = 2, Evaluators = 5 });

        string path = Path.Combine(_folder, "model.vaecf");
        await new TrainingJobClient(fixture.Grains, "evaluation-exact").DownloadModelAsync(path, status.ModelLength, chunkBytes: 5000);
        var model = ModelFile.Load(path);
        using var network = model.Network;
        var expected = new RankingEvaluator(RankingMetric.PaperMetrics, 1000).Evaluate(new AutoencoderScorer(network), split.Test);

        Assert.Equal(RankingMetric.PaperMetrics.Select(m => m.Name), status.Test.Select(t => t.Name));
        foreach (var metric in RankingMetric.PaperMetrics)
        {
            var actual = status.Test.Single(t => t.Name == metric.Name);
            Assert.Equal(expected[metric].Mean, actual.Mean);
            Assert.Equal(expected[metric].StandardError, actual.StandardError);
            Assert.Equal(expected[metric].Count, actual.Users);
        }
        Assert.Equal(split.ItemIds, model.ItemIds);
        Assert.Equal(status.BestEpoch, model.Summary.BestEpoch);
    }

    [RequiresDataSetFact("ml-100k", Timeout = 600_000)]
    public async Task Train_Ml100kOnTwoWorkers_MatchesSingleProcessTestNdcg()
    {
        var split = StrongGeneralizationSplitter.Split(DataCatalog.DataSet("ml-100k").Load(), new SplitOptions { HeldOutUserCount = 100 });
        var config = AutoencoderConfig.ForVae(split.ItemCount);
        var options = new TrainerOptions { Epochs = 12, BatchSize = 100, Seed = 98765, Beta = new BetaScheduleOptions { TotalAnnealSteps = 800 } };
        var single = new Trainer(options).Train(split, config);
        var status = await ClusterJobs.TrainAsync(fixture.Grains, "ml-100k", split, config, options, new ClusterSettings { Workers = 2 });

        var metric = RankingMetric.Ndcg(100);
        double clusterNdcg = status.Test.Single(t => t.Name == metric.Name).Mean;
        Assert.Equal(single.Test[metric].Mean, clusterNdcg, 0.01);
        Assert.Equal(single.BestEpoch, status.BestEpoch);
        Assert.True(clusterNdcg > 0.3, $"test NDCG@100 {clusterNdcg:F3}");
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_InvalidSettings_IsRefusedNamingTheSetting()
    {
        var split = PlantedSplit.Create(50, 10, 30, 2, seed: 1);
        var client = new TrainingJobClient(fixture.Grains, "invalid-settings");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.StartAsync(SplitSerializer.Serialize(split), "test",
            new ModelSettings { ItemCount = 30 }, new TrainingSettings { BatchSize = 0 }, new ClusterSettings(), fresh: true));
        Assert.Contains("BatchSize", error.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task Start_ModelForOtherItemCount_FailsWithReason()
    {
        var split = PlantedSplit.Create(50, 10, 30, 2, seed: 1);
        var client = new TrainingJobClient(fixture.Grains, "wrong-items");
        await client.StartAsync(SplitSerializer.Serialize(split), "test", new AutoencoderConfig { ItemCount = 31 },
            new TrainerOptions { Epochs = 1 }, new ClusterSettings(), fresh: true);
        var status = await client.WaitAsync(TimeSpan.FromMilliseconds(50));
        Assert.Equal(TrainingJobState.Failed, status.State);
        Assert.Contains("31 items", status.Error);
    }

}
