namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Student's t distribution with ν degrees of freedom, through the regularized incomplete beta function:
/// P(|T| ≥ |t|) = I_{ν/(ν + t²)}(ν/2, 1/2) (Numerical Recipes §6.14; Abramowitz and Stegun 26.7.1).
/// </summary>
public static class StudentT
{
    /// <summary>
    /// Two-sided p-value P(|T| ≥ |t|): the probability, if the true mean difference were 0, of a statistic at least this
    /// far from 0 in either direction. 1 at t = 0, 0 at t = ±∞, NaN for NaN t.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="degreesOfFreedom"/> is not positive.</exception>
    public static double TwoSidedPValue(double t, double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0))
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "Degrees of freedom must be positive.");
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsInfinity(t)) return 0;
        double t2 = t * t, denominator = degreesOfFreedom + t2;
        // x = ν / (ν + t²) and 1 - x = t² / (ν + t²), both formed without cancellation.
        return SpecialFunctions.RegularizedIncompleteBeta(degreesOfFreedom / denominator, t2 / denominator, degreesOfFreedom / 2, 0.5);
    }

    /// <summary>Cumulative distribution P(T ≤ t).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="degreesOfFreedom"/> is not positive.</exception>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        double tail = TwoSidedPValue(t, degreesOfFreedom) / 2;
        return t > 0 ? 1 - tail : tail;
    }
}
