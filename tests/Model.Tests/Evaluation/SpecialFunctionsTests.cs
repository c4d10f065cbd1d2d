using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Evaluation;

public sealed class SpecialFunctionsTests
{
    [Fact]
    public void LogGamma_Integers_AreLogFactorials()
    {
        // Γ(n) = (n - 1)!; covers both the shifted (n < 10) and direct Stirling (n ≥ 10) branches.
        double factorial = 1;
        for (int n = 1; n <= 25; n++)
        {
            Assert.Equal(Math.Log(factorial), SpecialFunctions.LogGamma(n), 12);
            factorial *= n;
        }
    }

    [Fact]
    public void LogGamma_Halves_MatchSqrtPi()
    {
        // Γ(1/2) = sqrt(π); Γ(3/2) = sqrt(π) / 2; Γ(11/2) = (9/2)(7/2)(5/2)(3/2)(1/2) sqrt(π) = 945/32 sqrt(π).
        Assert.Equal(0.5 * Math.Log(Math.PI), SpecialFunctions.LogGamma(0.5), 14);
        Assert.Equal(Math.Log(Math.Sqrt(Math.PI) / 2), SpecialFunctions.LogGamma(1.5), 14);
        Assert.Equal(Math.Log(945.0 / 32 * Math.Sqrt(Math.PI)), SpecialFunctions.LogGamma(5.5), 13);
    }

    [Theory]
    [InlineData(9.5)]
    [InlineData(250.25)]
    [InlineData(500000.0)]
    public void LogGamma_Recurrence_HoldsForLargeArguments(double x)
    {
        // ln Γ(x + 1) - ln Γ(x) = ln x, which a t-test with many users relies on (ln B(a, 1/2) with a = df/2).
        double difference = SpecialFunctions.LogGamma(x + 1) - SpecialFunctions.LogGamma(x);
        Assert.Equal(Math.Log(x), difference, 8);
    }

    [Theory]
    [InlineData(0.3, 1.0, 1.0)]
    [InlineData(0.7, 2.5, 1.0)]
    [InlineData(0.2, 1.0, 4.0)]
    [InlineData(0.9, 1.0, 0.5)]
    public void RegularizedIncompleteBeta_ClosedFormCases_Match(double x, double a, double b)
    {
        // I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b (I_x(1, 1) = x is both).
        double expected = b == 1 ? Math.Pow(x, a) : 1 - Math.Pow(1 - x, b);
        Assert.Equal(expected, SpecialFunctions.RegularizedIncompleteBeta(x, a, b), 13);
    }

    [Theory]
    [InlineData(3.7)]
    [InlineData(1000.0)]
    public void RegularizedIncompleteBeta_SymmetricAtHalf_IsHalf(double a) =>
        Assert.Equal(0.5, SpecialFunctions.RegularizedIncompleteBeta(0.5, a, a), 12);

    [Fact]
    public void RegularizedIncompleteBeta_ReflectedArguments_SumToOne()
    {
        // I_x(a, b) + I_{1-x}(b, a) = 1, on both sides of the switch point (a + 1) / (a + b + 2).
        foreach (double x in new[] { 0.05, 0.4, 0.6, 0.95 })
            Assert.Equal(1.0, SpecialFunctions.RegularizedIncompleteBeta(x, 2.5, 7) + SpecialFunctions.RegularizedIncompleteBeta(1 - x, 7, 2.5), 13);
    }

    [Fact]
    public void RegularizedIncompleteBeta_Bounds_AreZeroAndOne()
    {
        Assert.Equal(0.0, SpecialFunctions.RegularizedIncompleteBeta(0, 3, 4));
        Assert.Equal(1.0, SpecialFunctions.RegularizedIncompleteBeta(1, 3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.RegularizedIncompleteBeta(1.5, 3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.RegularizedIncompleteBeta(0.5, 0, 4));
    }
}
