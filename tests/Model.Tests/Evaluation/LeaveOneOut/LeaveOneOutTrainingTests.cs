using System.Diagnostics;
using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation.LeaveOneOut;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using Xunit.Abstractions;

namespace VaeCfCluster.Model.Tests.Evaluation.LeaveOneOut;

/// <summary>The existing trainer runs unchanged on a leave-one-out split, and the sampled evaluator scores its model.</summary>
public sealed class LeaveOneOutTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void Trainer_OnLeaveOneOutSplitOfPlantedGroups_BeatsPopularityHitRatio()
    {
        // 300 users in 3 groups over 60 items; each group clicks its own block of 20 items with probability 0.45 and
        // any other item with 0.03. A test item is then usually in the user's block while most negatives are not.
        const int users = 300, items = 60, block = 20;
        var rows = new List<int>();
        var columns = new List<int>();
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
                if (CounterRandom.Uniform(31, 1, 0, (ulong)u, (ulong)i) < (i / block == u % 3 ? 0.45 : 0.03)) { rows.Add(u); columns.Add(i); }
        var data = new ClickDataSet(ClickMatrix.FromPairs(users, items, rows.ToArray(), columns.ToArray()),
            Enumerable.Range(0, users).Select(u => $"u{u}").ToArray(), Enumerable.Range(0, items).Select(i => $"i{i}").ToArray());
        var loo = LeaveOneOutSplitter.Split(data, new LeaveOneOutOptions { NegativeCount = 20, ValidationUserCount = 100 });

        var clock = Stopwatch.StartNew();
        var options = new TrainerOptions { Epochs = 10, BatchSize = 32, Seed = 17, Beta = new BetaScheduleOptions { TotalAnnealSteps = 50 } };
        var trained = new Trainer(options).Train(loo.Split, new AutoencoderConfig { ItemCount = items, HiddenDims = [24], LatentDim = 8 });
        using var network = trained.BestNetwork;
        var evaluator = new SampledRankingEvaluator(cutoff: 5);
        double vae = evaluator.Evaluate(new AutoencoderScorer(network), loo)[evaluator.HitRatio].Mean;
        using var popularityScorer = PopularityScorer.Fit(loo.Split.Train);
        double popularity = evaluator.Evaluate(popularityScorer, loo)[evaluator.HitRatio].Mean;
        output.WriteLine($"HR@5 among 21 candidates: VAE {vae:F3}, popularity {popularity:F3} (chance {5 / 21.0:F3}); {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(300, loo.Split.Test.UserCount);
        Assert.True(vae > popularity + 0.2, $"VAE HR@5 {vae:F3} vs popularity {popularity:F3}");
    }
}
