using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Evaluation;

public sealed class StudentTTests
{
    [Theory]
    [InlineData(0.3)]
    [InlineData(1.0)]
    [InlineData(12.7)]
    public void TwoSidedPValue_OneDegreeOfFreedom_IsCauchyTail(double t) =>
        // With ν = 1, t is Cauchy: P(|T| ≥ t) = 1 - (2/π) atan(t).
        Assert.Equal(1 - 2 / Math.PI * Math.Atan(t), StudentT.TwoSidedPValue(t, 1), 13);

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.92)]
    [InlineData(40.0)]
    public void TwoSidedPValue_TwoDegreesOfFreedom_MatchesClosedForm(double t) =>
        // With ν = 2: P(|T| ≥ t) = 1 - t / sqrt(2 + t²).
        Assert.Equal(1 - t / Math.Sqrt(2 + t * t), StudentT.TwoSidedPValue(t, 2), 13);

    [Theory]
    // Textbook two-sided critical values: t(10) 0.05 -> 2.228, t(10) 0.01 -> 3.169, t(30) 0.05 -> 2.042, t(5) 0.001 -> 6.869.
    [InlineData(2.228, 10, 0.05)]
    [InlineData(3.169, 10, 0.01)]
    [InlineData(2.042, 30, 0.05)]
    [InlineData(6.869, 5, 0.001)]
    public void TwoSidedPValue_TableCriticalValues_GiveTheirLevel(double t, double df, double level) =>
        // Table values are rounded to 3 decimals, so allow 0.2% of the level.
        Assert.Equal(level, StudentT.TwoSidedPValue(t, df), level * 0.002);

    [Theory]
    // ν = 10⁶ is all but normal: 2 (1 - Φ(1.96)) = 0.0499957902, 2 (1 - Φ(2.576)) = 0.0099947; the t tail exceeds these by ~1e-7.
    [InlineData(1.96, 0.0499957902)]
    [InlineData(2.576, 0.0099947)]
    public void TwoSidedPValue_MillionDegreesOfFreedom_MatchesNormalTable(double t, double normalP) =>
        Assert.Equal(normalP, StudentT.TwoSidedPValue(t, 1e6), 1e-6);

    [Fact]
    public void Cdf_IsSymmetricAroundZero()
    {
        Assert.Equal(0.5, StudentT.Cdf(0, 7), 15);
        Assert.Equal(1.0, StudentT.Cdf(1.3, 7) + StudentT.Cdf(-1.3, 7), 14);
        // One-sided t(10) 0.975 quantile is 2.228.
        Assert.Equal(0.975, StudentT.Cdf(2.228, 10), 4);
    }

    [Fact]
    public void TwoSidedPValue_InfiniteAndNaN_GiveZeroAndNaN()
    {
        Assert.Equal(0.0, StudentT.TwoSidedPValue(double.NegativeInfinity, 4));
        Assert.True(double.IsNaN(StudentT.TwoSidedPValue(double.NaN, 4)));
        Assert.Equal(1.0, StudentT.TwoSidedPValue(0, 4));
    }
}
