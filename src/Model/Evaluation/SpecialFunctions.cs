namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// The log-gamma function and the regularized incomplete beta function, enough for Student's t p-values without a
/// statistics package.
/// </summary>
public static class SpecialFunctions
{
    private const double RelativeTolerance = 1e-15;
    private const double TinyDenominator = 1e-300;
    private const int MaxContinuedFractionTerms = 100_000;

    /// <summary>
    /// ln Γ(x) for x &gt; 0: the Stirling series with seven correction terms for x ≥ 10 (truncation error below 1e-16),
    /// reached for smaller x through Γ(x) = Γ(x + n) / (x (x + 1) ... (x + n - 1)). Accurate to about 1e-15 relative,
    /// which matters for ln B(a, b) with a large a (a t-test with many users), where lnΓ terms of size 1e6 cancel.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">x is not positive.</exception>
    public static double LogGamma(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma needs x > 0.");
        if (double.IsPositiveInfinity(x)) return x;
        double shift = 0;
        if (x < 10)
        {
            double product = 1;
            while (x < 10)
            {
                product *= x;
                x += 1;
            }
            shift = Math.Log(product);
        }
        double inv = 1 / x, inv2 = inv * inv;
        double series = inv * (1.0 / 12 + inv2 * (-1.0 / 360 + inv2 * (1.0 / 1260 + inv2 * (-1.0 / 1680
            + inv2 * (1.0 / 1188 + inv2 * (-691.0 / 360360 + inv2 * (1.0 / 156)))))));
        return (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI) + series - shift;
    }

    /// <summary>ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b).</summary>
    public static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>
    /// The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b) for 0 ≤ x ≤ 1 and a, b &gt; 0: the
    /// continued fraction of Numerical Recipes (§6.4) evaluated with the modified Lentz method, applied directly when
    /// x &lt; (a + 1) / (a + b + 2) and through I_x(a, b) = 1 - I_{1-x}(b, a) otherwise, where it converges quickly.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">x outside [0, 1] or a, b not positive.</exception>
    /// <exception cref="ArithmeticException">The continued fraction did not converge (not seen for finite a, b).</exception>
    public static double RegularizedIncompleteBeta(double x, double a, double b) => RegularizedIncompleteBeta(x, 1 - x, a, b);

    /// <summary>
    /// I_x(a, b) given both x and y = 1 - x, so that a y far below 1 computed without cancellation (as t^2 / (df + t^2)
    /// for Student's t) keeps its precision.
    /// </summary>
    internal static double RegularizedIncompleteBeta(double x, double y, double a, double b)
    {
        if (!(x >= 0 && x <= 1)) throw new ArgumentOutOfRangeException(nameof(x), x, "x must lie in [0, 1].");
        if (!(a > 0) || !(b > 0)) throw new ArgumentOutOfRangeException(nameof(a), "a and b must be positive.");
        if (x == 0) return 0;
        if (y == 0) return 1;
        double logFront = a * LogOf(x, y) + b * LogOf(y, x) - LogBeta(a, b);
        if (x < (a + 1) / (a + b + 2))
            return Math.Exp(logFront) * ContinuedFraction(x, a, b) / a;
        return 1 - Math.Exp(logFront) * ContinuedFraction(y, b, a) / b;
    }

    /// <summary>ln(v) where w = 1 - v is known: ln(1 - w) computed without cancellation when v is close to 1.</summary>
    private static double LogOf(double v, double w)
    {
        if (v < 0.5) return Math.Log(v);
        double u = 1 - w;
        return u == 1 ? -w : Math.Log(u) * -w / (u - 1);
    }

    /// <summary>The continued fraction for I_x(a, b) of Numerical Recipes' betacf, by modified Lentz.</summary>
    private static double ContinuedFraction(double x, double a, double b)
    {
        double sum = a + b, aPlus = a + 1, aMinus = a - 1;
        double c = 1, d = Guard(1 - sum * x / aPlus);
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= MaxContinuedFractionTerms; m++)
        {
            int m2 = 2 * m;
            double term = m * (b - m) * x / ((aMinus + m2) * (a + m2));
            d = 1 / Guard(1 + term * d);
            c = Guard(1 + term / c);
            h *= d * c;
            term = -(a + m) * (sum + m) * x / ((a + m2) * (aPlus + m2));
            d = 1 / Guard(1 + term * d);
            c = Guard(1 + term / c);
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < RelativeTolerance) return h;
        }
        throw new ArithmeticException($"The incomplete beta continued fraction did not converge for x = {x}, a = {a}, b = {b}.");
    }

    private static double Guard(double value) => Math.Abs(value) < TinyDenominator ? TinyDenominator : value;
}
