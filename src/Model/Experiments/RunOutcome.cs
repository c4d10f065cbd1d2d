using System.Text.Json.Serialization;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// What one run of a study produced, as the run ledger stores it: the setting, its validation NDCG@100 (the selection
/// criterion of Section 4.4), its test metrics with per-user values (for paired t-tests and the activity breakdown),
/// and for autoencoders the epoch history. A run finished once is never redone when a study resumes.
/// </summary>
public sealed record RunOutcome
{
    /// <summary>Stable id, such as <c>wmf-c1-10-k-200</c>; also the cluster job id and the run's folder name.</summary>
    public required string Id { get; init; }

    /// <summary>Display name of the model, such as "WMF" or "Mult-VAE^PR".</summary>
    public required string Model { get; init; }

    /// <summary>The hyperparameters of this run, such as "c1 = 10, K = 200".</summary>
    public required string Setting { get; init; }

    /// <summary>The study that first asked for this run; its wall time counts there.</summary>
    public required StudyKind Study { get; init; }

    /// <summary>Validation NDCG@100 of the run (of its best epoch for autoencoders).</summary>
    public double ValidationNdcg100 { get; init; }

    /// <summary>Test metrics: mean and standard error.</summary>
    public IReadOnlyList<MetricOutcome> Test { get; init; } = [];

    /// <summary>Per-user test values by metric name, aligned with <see cref="TestUserIndices"/>.</summary>
    public IReadOnlyDictionary<string, double[]> TestPerUser { get; init; } = new Dictionary<string, double[]>();

    /// <summary>Row indices of the evaluated test users.</summary>
    public int[] TestUserIndices { get; init; } = [];

    /// <summary>Fold-in clicks of each evaluated test user, aligned with <see cref="TestUserIndices"/>.</summary>
    public int[] TestFoldInCounts { get; init; } = [];

    /// <summary>Autoencoders: one record per epoch; null for baselines.</summary>
    public IReadOnlyList<EpochRecord>? History { get; init; }

    /// <summary>Autoencoders: the epoch kept.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>VAEs: the β the schedule settled on.</summary>
    public double? ChosenBeta { get; init; }

    /// <summary>Wall time of the run as the process that finished it measured it: fitting or training plus evaluation.</summary>
    public double Seconds { get; init; }

    /// <summary>
    /// Wall time of the whole run: <see cref="Seconds"/>, or the sum of the epochs' training and validation times when
    /// that is larger (a run resumed after an interruption measures only its last part, while its history has every epoch).
    /// </summary>
    [JsonIgnore]
    public double WallSeconds => Math.Max(Seconds, History?.Sum(e => e.Seconds + e.ValidationSeconds) ?? 0);

    /// <summary>The test metric called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The run did not compute it.</exception>
    public MetricOutcome Metric(string name) => Test.FirstOrDefault(m => m.Name == name)
        ?? throw new KeyNotFoundException($"Run {Id} has no test metric {name}; it has {string.Join(", ", Test.Select(m => m.Name))}.");
}
