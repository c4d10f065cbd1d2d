using System.Diagnostics;
using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;
using Xunit.Abstractions;

namespace VaeCfCluster.Model.Tests.Training;

public sealed class RealDataLearningTests(ITestOutputHelper output)
{
    [RequiresDataSetFact("ml-100k")]
    public void Train_Ml100k_MultVaeBeatsPopularityOnTestNdcg()
    {
        var clock = Stopwatch.StartNew();
        var data = DataCatalog.DataSet("ml-100k").Load();
        var split = StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 100 });
        var options = new TrainerOptions
        {
            Epochs = 25, BatchSize = 100, Seed = 98765,
            Beta = new BetaScheduleOptions { TotalAnnealSteps = 800 },
        };
        var result = new Trainer(options).Train(split, AutoencoderConfig.ForVae(split.ItemCount));
        using var popularity = PopularityScorer.Fit(split.Train);
        var baseline = new RankingEvaluator().Evaluate(popularity, split.Test);
        var metric = RankingMetric.Ndcg(100);
        output.WriteLine($"Mult-VAE {result.Test[metric].Mean:F4} ± {result.Test[metric].StandardError:F4}, popularity " +
                         $"{baseline[metric].Mean:F4} ± {baseline[metric].StandardError:F4}, best epoch {result.BestEpoch}, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(result.Test[metric].Mean > baseline[metric].Mean + 0.03,
            $"Mult-VAE NDCG@100 {result.Test[metric].Mean:F4} does not clearly beat popularity {baseline[metric].Mean:F4}");
    }
}
