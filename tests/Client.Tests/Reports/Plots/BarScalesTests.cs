using VaeCfCluster.Client.Reports.Plots;

namespace VaeCfCluster.Client.Tests.Reports.Plots;

public sealed class BarScalesTests
{
    [Fact]
    public void ValueRangeOf_PositiveBars_StartsAtZeroAndPadsTheTop()
    {
        // Highest end 0.4 + 0.1 = 0.5; span 0.5; head room 0.2 * 0.5 = 0.1.
        var range = ValueRange.Of([(0.4, 0.1), (0.2, double.NaN), (double.NaN, 5.0)], headRoom: 0.2);

        Assert.Equal(0, range.Low);
        Assert.Equal(0.6, range.High, 12);
    }

    [Fact]
    public void ValueRangeOf_MixedSigns_PadsBothSides()
    {
        // Ends: -0.3 - 0.1 = -0.4 and 0.6 + 0 = 0.6; span 1.0; 10 % on each side.
        var range = ValueRange.Of([(-0.3, 0.1), (0.6, 0.0)], headRoom: 0.1);

        Assert.Equal(-0.5, range.Low, 12);
        Assert.Equal(0.7, range.High, 12);
    }

    [Fact]
    public void ValueRangeOf_AllZero_FallsBackToUnitRange()
    {
        Assert.Equal(new ValueRange(0, 1), ValueRange.Of([(0.0, 0.0)], headRoom: 0.1));
    }

    [Theory]
    [InlineData(new[] { 0.426, 0.4 }, "F3")]
    [InlineData(new[] { 12.34, 3.0 }, "F1")]
    [InlineData(new[] { 1234.0, -5.0 }, "F0")]
    [InlineData(new[] { 0.0012, double.NaN }, "F5")]
    [InlineData(new[] { 0.0 }, "F0")]
    public void ValueFormat_LargestMagnitude_GivesThreeSignificantDigits(double[] values, string expected)
    {
        Assert.Equal(expected, PlotStyle.ValueFormat(values));
    }
}
