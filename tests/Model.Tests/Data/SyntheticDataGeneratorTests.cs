using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class SyntheticDataGeneratorTests
{
    private static readonly SyntheticDataOptions Options = SyntheticDataOptions.Small;

    [Fact]
    public void Generate_SameSeed_IdenticalMatrix()
    {
        var a = SyntheticDataGenerator.Generate(Options);
        var b = SyntheticDataGenerator.Generate(Options);

        DataAssert.SameMatrix(a.Clicks, b.Clicks);
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentMatrix()
    {
        var a = SyntheticDataGenerator.Generate(Options);
        var b = SyntheticDataGenerator.Generate(Options with { Seed = Options.Seed + 1 });

        Assert.NotEqual(a.Clicks.Columns.ToArray(), b.Clicks.Columns.ToArray());
    }

    [Fact]
    public void Generate_Small_HasRequestedShapeIdsAndClickCounts()
    {
        var data = SyntheticDataGenerator.Generate(Options);

        Assert.Equal(2_000, data.UserCount);
        Assert.Equal(500, data.ItemCount);
        Assert.Equal("u0", data.UserIds[0]);
        Assert.Equal("u1999", data.UserIds[^1]);
        Assert.Equal("i499", data.ItemIds[^1]);
        var lengths = Enumerable.Range(0, data.UserCount).Select(data.Clicks.RowLength).ToArray();
        Assert.All(lengths, n => Assert.InRange(n, 5, Options.EffectiveMaxClicksPerUser));
        Assert.InRange(lengths.Average(), 0.85 * Options.MeanClicksPerUser, 1.15 * Options.MeanClicksPerUser);
        // Heavy tail: the busiest users click several times the median.
        Assert.True(lengths.Max() > 3 * lengths.Order().ElementAt(lengths.Length / 2));
    }

    [Fact]
    public void Generate_PowerLawPopularity_HeadItemsGetFarMoreClicks()
    {
        var popularity = SyntheticDataGenerator.Generate(Options).Clicks.ColumnCounts();

        // p_i ~ (i + 1)^-1: the first 50 items hold far more clicks than the last 50.
        Assert.True(popularity[..50].Sum() > 5 * popularity[^50..].Sum());
    }

    [Fact]
    public void Generate_NoSkewNoSignal_SpreadsClicksEvenly()
    {
        var options = Options with { PopularityExponent = 0, SignalStrength = 0 };

        var popularity = SyntheticDataGenerator.Generate(options).Clicks.ColumnCounts();

        double mean = popularity.Average();
        Assert.All(popularity, c => Assert.InRange(c, 0.7 * mean, 1.3 * mean));
    }

    [Fact]
    public void Generate_PlantedSignal_ItemNeighboursBeatPopularity_OnlyWhenSignalIsOn()
    {
        var (withSignalKnn, withSignalPopular) = Recalls(Options);
        var (noSignalKnn, noSignalPopular) = Recalls(Options with { SignalStrength = 0 });

        Assert.True(withSignalKnn > 1.4 * withSignalPopular, $"kNN {withSignalKnn:F3} vs popularity {withSignalPopular:F3}");
        Assert.True(noSignalKnn < 1.1 * noSignalPopular, $"kNN {noSignalKnn:F3} vs popularity {noSignalPopular:F3}");
    }

    /// <summary>Validation Recall@20 (Liang et al., Eq. 9 normalization) of item-cosine kNN and of popularity.</summary>
    private static (double Knn, double Popular) Recalls(SyntheticDataOptions options)
    {
        var split = StrongGeneralizationSplitter.Split(SyntheticDataGenerator.Generate(options), new SplitOptions { HeldOutUserCount = 300 });
        int items = split.ItemCount;
        var cooccurrence = new double[items, items];
        var popularity = split.Train.ColumnCounts();
        for (int u = 0; u < split.Train.RowCount; u++)
        {
            var row = split.Train.Row(u);
            foreach (int i in row) foreach (int j in row) cooccurrence[i, j]++;
        }
        double knn = 0, popular = 0;
        int users = 0;
        for (int u = 0; u < split.Validation.UserCount; u++)
        {
            var foldIn = split.Validation.FoldIn.Row(u).ToArray();
            var heldOut = split.Validation.HeldOut.Row(u).ToArray().ToHashSet();
            if (heldOut.Count == 0) continue;
            var knnScores = new double[items];
            for (int j = 0; j < items; j++)
                foreach (int i in foldIn) knnScores[j] += cooccurrence[i, j] / Math.Sqrt((double)popularity[i] * Math.Max(1, popularity[j]));
            knn += Recall(knnScores, foldIn, heldOut);
            popular += Recall(Array.ConvertAll(popularity, c => (double)c), foldIn, heldOut);
            users++;
        }
        return (knn / users, popular / users);
    }

    private static double Recall(double[] scores, int[] foldIn, HashSet<int> heldOut)
    {
        foreach (int i in foldIn) scores[i] = double.NegativeInfinity;
        var top = Enumerable.Range(0, scores.Length).OrderByDescending(j => scores[j]).Take(20);
        return (double)top.Count(heldOut.Contains) / Math.Min(20, heldOut.Count);
    }
}
