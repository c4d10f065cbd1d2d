namespace VaeCfCluster.Model.Experiments;

/// <summary>Everything a report shows; a study that did not run leaves its part empty or null.</summary>
public sealed record ExperimentResults
{
    /// <summary>Table 1's statistics of the data after preprocessing.</summary>
    public required DataStatistics Data { get; init; }

    /// <summary>Table 2 rows: Mult-VAE^PR, Mult-DAE, then the baselines.</summary>
    public IReadOnlyList<ChosenRun> Table2 { get; init; } = [];

    /// <summary>Table 4 rows: VAE then DAE for each likelihood.</summary>
    public IReadOnlyList<ChosenRun> Table4 { get; init; } = [];

    /// <summary>Figure 1 curves: no annealing, annealing to β = 1, annealing capped at the best β.</summary>
    public IReadOnlyList<AnnealingCurve> Figure1 { get; init; } = [];

    /// <summary>Figure 3, or null when it did not run.</summary>
    public ActivityStudyResult? Figure3 { get; init; }

    /// <summary>Table 3, or null when it did not run.</summary>
    public LeaveOneOutStudyResult? Table3 { get; init; }

    /// <summary>Wall time per study: the seconds of the runs it started (runs reused from another study count there).</summary>
    public IReadOnlyDictionary<StudyKind, double> StudySeconds { get; init; } = new Dictionary<StudyKind, double>();

    /// <summary>What was skipped and why, for the report.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
