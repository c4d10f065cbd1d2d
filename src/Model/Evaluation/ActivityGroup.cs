using System.Globalization;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// One activity group of the paper's Figure 3 for one model: evaluated users whose fold-in size lies in
/// [<see cref="MinFoldIn"/>, <see cref="MaxFoldIn"/>], with the mean of a metric over them and its standard error
/// (ddof-0 standard deviation / sqrt(n), the error bars of the figure).
/// </summary>
public sealed class ActivityGroup
{
    private readonly int[] _userIndices;
    private readonly double[] _values;

    /// <summary>A group of users (taken, not copied) with their fold-in size range and metric values.</summary>
    public ActivityGroup(int index, int minFoldIn, int maxFoldIn, int[] userIndices, double[] values)
    {
        if (userIndices.Length != values.Length) throw new ArgumentException("One value per user is needed.");
        Index = index;
        MinFoldIn = minFoldIn;
        MaxFoldIn = maxFoldIn;
        _userIndices = userIndices;
        _values = values;
        Mean = DescriptiveStatistics.Mean(values);
        StandardError = DescriptiveStatistics.StandardError(values);
    }

    /// <summary>0 for the least active group, increasing with activity.</summary>
    public int Index { get; }

    /// <summary>Smallest fold-in size (number of fold-in clicks) in the group.</summary>
    public int MinFoldIn { get; }

    /// <summary>Largest fold-in size in the group.</summary>
    public int MaxFoldIn { get; }

    /// <summary>The users (rows of the held-out users), in activity order (fold-in size, then user index).</summary>
    public IReadOnlyList<int> UserIndices => _userIndices;

    /// <summary>The metric value of each user, aligned with <see cref="UserIndices"/>.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>The values as a span, for statistics.</summary>
    public ReadOnlySpan<double> ValueSpan => _values;

    /// <summary>Number of users.</summary>
    public int UserCount => _userIndices.Length;

    /// <summary>Mean of the metric over the group.</summary>
    public double Mean { get; }

    /// <summary>Standard error of <see cref="Mean"/>.</summary>
    public double StandardError { get; }

    /// <summary>For example "Q1 fold-in 4-9, n = 2000: 0.31245 ± 0.00512".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Q{Index + 1} fold-in {MinFoldIn}-{MaxFoldIn}, n = {UserCount}: {Mean:F5} ± {StandardError:F5}");
}
