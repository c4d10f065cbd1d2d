using System.Globalization;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Outcome of a paired t-test of two models over the same users: t = mean(d) / (sd(d) / sqrt(n)) with d = first - second
/// per user and sd the ddof-1 standard deviation, n - 1 degrees of freedom, and the two-sided p-value.
/// </summary>
/// <param name="Count">Number of pairs n.</param>
/// <param name="MeanDifference">mean(first - second); positive when the first model scores higher.</param>
/// <param name="StandardErrorOfDifference">sd(d, ddof 1) / sqrt(n).</param>
/// <param name="T">The t statistic; ±∞ when every difference is the same non-zero value, NaN when all are 0 or n &lt; 2.</param>
/// <param name="DegreesOfFreedom">n - 1.</param>
/// <param name="PValue">Two-sided p-value; NaN when T is NaN.</param>
public sealed record PairedTTestResult(int Count, double MeanDifference, double StandardErrorOfDifference, double T,
    int DegreesOfFreedom, double PValue)
{
    /// <summary>Significance as marked in the paper's Figure 3: "***" p &lt; 0.001, "**" p &lt; 0.01, "*" p &lt; 0.05, else "".</summary>
    public string Stars => SignificanceStars(PValue);

    /// <summary>Whether p &lt; <paramref name="alpha"/>.</summary>
    public bool IsSignificant(double alpha = 0.05) => PValue < alpha;

    /// <summary>"***" for p &lt; 0.001, "**" for p &lt; 0.01, "*" for p &lt; 0.05, "" otherwise (NaN included).</summary>
    public static string SignificanceStars(double pValue) =>
        pValue < 0.001 ? "***" : pValue < 0.01 ? "**" : pValue < 0.05 ? "*" : "";

    /// <summary>For example "t(9) = 4.062, p = 0.00283 **".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"t({DegreesOfFreedom}) = {T:F3}, p = {PValue:G3} {Stars}").TrimEnd();
}
