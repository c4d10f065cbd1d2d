using System.Globalization;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// One activity group of the paper's Figure 3 for two models over the same users: each model's mean and standard
/// error, and a paired t-test of first against second within the group.
/// </summary>
/// <param name="First">The group under the first model.</param>
/// <param name="Second">The same users under the second model.</param>
/// <param name="Test">Paired t-test of first - second over the group's users.</param>
public sealed record PairedActivityGroup(ActivityGroup First, ActivityGroup Second, PairedTTestResult Test)
{
    /// <summary>0 for the least active group.</summary>
    public int Index => First.Index;

    /// <summary>Smallest fold-in size in the group.</summary>
    public int MinFoldIn => First.MinFoldIn;

    /// <summary>Largest fold-in size in the group.</summary>
    public int MaxFoldIn => First.MaxFoldIn;

    /// <summary>Number of users.</summary>
    public int UserCount => First.UserCount;

    /// <summary>For example "Q1 fold-in 4-9, n = 2000: 0.31245 ± 0.00512 vs 0.30011 ± 0.00498, t(1999) = 4.101, p = 4.27E-05 ***".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Q{Index + 1} fold-in {MinFoldIn}-{MaxFoldIn}, n = {UserCount}: {First.Mean:F5} ± {First.StandardError:F5} vs {Second.Mean:F5} ± {Second.StandardError:F5}, {Test}");
}
