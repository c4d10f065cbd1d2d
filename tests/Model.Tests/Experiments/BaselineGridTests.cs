using VaeCfCluster.Model.Experiments;

namespace VaeCfCluster.Model.Tests.Experiments;

public sealed class BaselineGridTests
{
    [Theory]
    [InlineData("popularity", 1)]
    [InlineData("ease", 7)]
    [InlineData("wmf", 12)]
    [InlineData("slim", 16)]
    [InlineData("cdae", 5)]
    public void Candidates_PaperGrids_HaveTheSectionFourFourSizesAndDistinctIds(string baseline, int expected)
    {
        var candidates = BaselineGrid.Candidates(baseline, new ExperimentSettings());
        Assert.Equal(expected, candidates.Count);
        Assert.Equal(expected, candidates.Select(c => c.Id).Distinct().Count());
        Assert.All(candidates, c => Assert.Matches("^[A-Za-z0-9._-]+$", c.Id));
    }

    [Fact]
    public void Candidates_Wmf_CoverEveryConfidenceAndDimension()
    {
        var settings = new ExperimentSettings { WmfPositiveWeights = [2, 50], WmfFactors = [100, 200] };
        Assert.Equal(["c1 = 2, K = 100", "c1 = 2, K = 200", "c1 = 50, K = 100", "c1 = 50, K = 200"],
            BaselineGrid.Candidates("wmf", settings).Select(c => c.Setting));
    }

    [Fact]
    public void SkipReason_SlimAboveTheItemLimit_ExplainsAndOthersRun()
    {
        var settings = new ExperimentSettings { SlimMaxItems = 1000 };
        Assert.Contains("1,001 items", BaselineGrid.SkipReason("slim", 1001, settings));
        Assert.Null(BaselineGrid.SkipReason("slim", 1000, settings));
        Assert.Null(BaselineGrid.SkipReason("wmf", 100_000, settings));
    }

    [Fact]
    public void Validate_UnknownBaselineOrEmptyGrid_NamesTheSetting()
    {
        Assert.Contains("bpr", Assert.Throws<ArgumentException>(() => new ExperimentSettings { Baselines = ["bpr"] }.Validate()).Message);
        Assert.Contains("WmfFactors", Assert.Throws<ArgumentException>(() => new ExperimentSettings { WmfFactors = [] }.Validate()).Message);
        Assert.Contains("AnnealFraction", Assert.Throws<ArgumentException>(() => new ExperimentSettings { AnnealFraction = 0 }.Validate()).Message);
    }
}
