using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Evaluation;

public sealed class PairedTTestTests
{
    // Student (1908) / Cushny and Peebles: extra hours of sleep of 10 patients under two drugs (R's `sleep` data set).
    private static readonly double[] DrugTwo = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    private static readonly double[] DrugOne = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];

    [Fact]
    public void Compute_StudentSleepData_MatchesPublishedTAndP()
    {
        // Differences: 1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4; sum 15.8, mean 1.58.
        // Squared deviations from 1.58: 0.1444, 0.6724, 0.0784, 0.0784, 2.4964, 0.3364, 0.0484, 0.6084, 9.1204, 0.0324
        // sum 13.616; sd = sqrt(13.616 / 9) = 1.229995...; t = 1.58 / (sd / sqrt(10)) = 4.062128.
        double sd = Math.Sqrt(13.616 / 9);
        double expectedT = 1.58 / (sd / Math.Sqrt(10));
        var result = PairedTTest.Compute(DrugTwo, DrugOne);
        Assert.Equal(1.58, result.MeanDifference, 12);
        Assert.Equal(expectedT, result.T, 10);
        Assert.Equal(4.062128, result.T, 6);
        Assert.Equal(9, result.DegreesOfFreedom);
        // Published (R t.test paired, and Student's table: 0.002 < p < 0.005 for t(9) between 3.690 and 4.297): p = 0.002833.
        Assert.Equal(0.002833, result.PValue, 6);
        Assert.Equal("**", result.Stars);
    }

    [Fact]
    public void Compute_SwappedSamples_NegatesTAndKeepsP()
    {
        var forward = PairedTTest.Compute(DrugTwo, DrugOne);
        var backward = PairedTTest.Compute(DrugOne, DrugTwo);
        Assert.Equal(-forward.T, backward.T, 12);
        Assert.Equal(forward.PValue, backward.PValue, 15);
    }

    [Fact]
    public void Compute_IdenticalSamples_GivesNaNAndNoStars()
    {
        var result = PairedTTest.Compute([0.1, 0.2, 0.3], [0.1, 0.2, 0.3]);
        Assert.True(double.IsNaN(result.T));
        Assert.True(double.IsNaN(result.PValue));
        Assert.Equal("", result.Stars);
        Assert.False(result.IsSignificant());
    }

    [Fact]
    public void Compute_ConstantNonZeroDifference_GivesInfiniteTAndZeroP()
    {
        var result = PairedTTest.Compute([1.5, 2.5, 3.5], [1, 2, 3]);
        Assert.Equal(double.PositiveInfinity, result.T);
        Assert.Equal(0.0, result.PValue);
        Assert.Equal("***", result.Stars);
    }

    [Fact]
    public void Compute_DifferentLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => PairedTTest.Compute([1.0, 2.0], [1.0]));

    [Theory]
    [InlineData(0.0009, "***")]
    [InlineData(0.001, "**")]
    [InlineData(0.0099, "**")]
    [InlineData(0.01, "*")]
    [InlineData(0.0499, "*")]
    [InlineData(0.05, "")]
    [InlineData(0.7, "")]
    public void SignificanceStars_Thresholds_FollowFigure3(double p, string stars) =>
        Assert.Equal(stars, PairedTTestResult.SignificanceStars(p));
}
