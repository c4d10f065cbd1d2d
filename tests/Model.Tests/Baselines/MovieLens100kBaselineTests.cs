using System.Diagnostics;
using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Tests.Baselines.Support;
using VaeCfCluster.Model.Tests.Support;
using Xunit.Abstractions;

namespace VaeCfCluster.Model.Tests.Baselines;

/// <summary>
/// Every baseline on a small strong-generalization split of ml-100k (150 test users, 80/20 fold-in), scored by the
/// project's evaluator. Personalised models must beat popularity.
/// </summary>
public sealed class MovieLens100kBaselineTests(ITestOutputHelper output)
{
    private static readonly Lazy<double> s_popularityNdcg = new(() =>
    {
        var split = MovieLens100kSplit.Split;
        using var popularity = PopularityScorer.Fit(split.Train);
        return MovieLens100kSplit.TestNdcg(popularity);
    });

    [RequiresDataSetFact("ml-100k")]
    public void Popularity_MovieLens100k_RanksBetterThanChance()
    {
        var split = MovieLens100kSplit.Split;
        double ndcg = s_popularityNdcg.Value;
        output.WriteLine($"ml-100k: {split.Train.RowCount} train users, {split.Train.ColumnCount} items; popularity NDCG@100 = {ndcg:F4}");
        // A random ranking of ~1,400 items puts about 100/1,400 of the held-out items in the top 100.
        Assert.InRange(ndcg, 0.15, 0.6);
    }

    [RequiresDataSetFact("ml-100k")]
    public void Ease_MovieLens100k_BeatsPopularity()
    {
        var split = MovieLens100kSplit.Split;
        var clock = Stopwatch.StartNew();
        using var ease = EaseScorer.Fit(split.Train, new EaseOptions { Lambda = 200 });
        double fit = clock.Elapsed.TotalSeconds;
        double ndcg = MovieLens100kSplit.TestNdcg(ease);
        output.WriteLine($"EASE λ=200: NDCG@100 = {ndcg:F4} (popularity {s_popularityNdcg.Value:F4}), fit {fit:F2} s");
        Assert.True(ndcg > s_popularityNdcg.Value + 0.02, $"EASE {ndcg:F4} vs popularity {s_popularityNdcg.Value:F4}");
    }

    [RequiresDataSetFact("ml-100k")]
    public void Wmf_MovieLens100k_BeatsPopularity()
    {
        var split = MovieLens100kSplit.Split;
        var clock = Stopwatch.StartNew();
        using var wmf = WmfScorer.Fit(split.Train, new WmfOptions { Factors = 100, PositiveWeight = 10, Lambda = 10, Sweeps = 8 },
            output.WriteLine);
        double fit = clock.Elapsed.TotalSeconds;
        double ndcg = MovieLens100kSplit.TestNdcg(wmf);
        output.WriteLine($"WMF K=100 c1=10 λ=10: NDCG@100 = {ndcg:F4} (popularity {s_popularityNdcg.Value:F4}), fit {fit:F2} s");
        Assert.True(ndcg > s_popularityNdcg.Value + 0.02, $"WMF {ndcg:F4} vs popularity {s_popularityNdcg.Value:F4}");
    }

    [RequiresDataSetFact("ml-100k")]
    public void Slim_MovieLens100k_BeatsPopularity()
    {
        var split = MovieLens100kSplit.Split;
        var clock = Stopwatch.StartNew();
        using var slim = SlimScorer.Fit(split.Train, new SlimOptions { L1 = 5, L2 = 5, MaxSweeps = 4 }, output.WriteLine);
        double fit = clock.Elapsed.TotalSeconds;
        double ndcg = MovieLens100kSplit.TestNdcg(slim);
        output.WriteLine($"SLIM λ=5 β=5: NDCG@100 = {ndcg:F4} (popularity {s_popularityNdcg.Value:F4}), fit {fit:F2} s, {slim.SweepsRun} sweeps");
        Assert.True(ndcg > s_popularityNdcg.Value + 0.02, $"SLIM {ndcg:F4} vs popularity {s_popularityNdcg.Value:F4}");
    }

    [RequiresDataSetFact("ml-100k")]
    public void Cdae_MovieLens100k_BeatsPopularity()
    {
        var split = MovieLens100kSplit.Split;
        var clock = Stopwatch.StartNew();
        using var cdae = CdaeScorer.Fit(split.Train, new CdaeOptions { PositiveWeight = 2, WeightDecay = 0.01, Epochs = 15 });
        double fit = clock.Elapsed.TotalSeconds;
        double ndcg = MovieLens100kSplit.TestNdcg(cdae);
        output.WriteLine($"CDAE c1=2 λ=0.01 15 epochs: NDCG@100 = {ndcg:F4} (popularity {s_popularityNdcg.Value:F4}), fit {fit:F2} s");
        Assert.True(ndcg > s_popularityNdcg.Value + 0.02, $"CDAE {ndcg:F4} vs popularity {s_popularityNdcg.Value:F4}");
    }
}
