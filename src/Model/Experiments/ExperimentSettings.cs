using System.Text.Json.Serialization;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// Every setting of <c>vaecf experiment</c> that decides a number in the report. Defaults are the paper's
/// (Section 4.3 for the autoencoders, Section 4.4 for the baselines' grids); the grids can be narrowed for a quick look.
/// </summary>
public sealed record ExperimentSettings
{
    /// <summary>Passes over the training users per autoencoder run. Default 100 (the paper's for Netflix and MSD).</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Users per gradient update. Default 500 (Section 4.3).</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Seed of weights, user order, dropout masks, latent noise and the baselines' random starts. Default 98765.</summary>
    public long Seed { get; init; } = 98765;

    /// <summary>
    /// Fraction of the planned updates after which annealing reaches β = 1 (Figure 1: "β reaches 1 at around 80
    /// epochs" of 100). Default 0.8. The capped run keeps this schedule and stops at the best β.
    /// </summary>
    public double AnnealFraction { get; init; } = 0.8;

    /// <summary>
    /// Mult-DAE weight decays searched on validation NDCG@100, for every likelihood. Default {0.01, 0.0001}: the
    /// paper's 0.01 and a weaker one, which sparse data sets with many items need.
    /// </summary>
    public double[] DaeWeightDecays { get; init; } = [0.01, 0.0001];

    /// <summary>Baselines of Table 2, in report order. Default: popularity, EASE, WMF, SLIM, CDAE.</summary>
    public string[] Baselines { get; init; } = ["popularity", "ease", "wmf", "slim", "cdae"];

    /// <summary>EASE L2 weights λ. Default {50, …, 5000}.</summary>
    public double[] EaseLambdas { get; init; } = [50, 100, 200, 500, 1000, 2000, 5000];

    /// <summary>WMF confidence on clicks c1 (Section 4.4: {2, 5, 10, 30, 50, 100}; zeros weigh 1).</summary>
    public double[] WmfPositiveWeights { get; init; } = [2, 5, 10, 30, 50, 100];

    /// <summary>WMF latent dimension K (Section 4.4: {100, 200}).</summary>
    public int[] WmfFactors { get; init; } = [100, 200];

    /// <summary>SLIM ℓ1 and ℓ2 weights, each searched over this list (Section 4.4: {0.1, 0.5, 1, 5}).</summary>
    public double[] SlimRegularization { get; init; } = [0.1, 0.5, 1, 5];

    /// <summary>
    /// SLIM is skipped (and the report says why) above this many items: it holds several items × items matrices and
    /// its grid takes hours there, as the paper found on MSD. Default 10,000.
    /// </summary>
    public int SlimMaxItems { get; init; } = 10_000;

    /// <summary>CDAE weight decays (Section 4.4: {0.01, 0.1, …, 100}).</summary>
    public double[] CdaeWeightDecays { get; init; } = [0.01, 0.1, 1, 10, 100];

    /// <summary>CDAE training epochs. Default 50.</summary>
    public int CdaeEpochs { get; init; } = 50;

    /// <summary>Table 3: sampled negatives each held-out item is ranked against. Default 100.</summary>
    public int LeaveOneOutNegatives { get; init; } = 100;

    /// <summary>Users scored at once during evaluation; bounds memory at users × items floats. Default 1000.</summary>
    public int EvaluationBatchSize { get; init; } = 1000;

    /// <summary>The studies to run, in the order they run. Default: all.</summary>
    [JsonIgnore]
    public IReadOnlyList<StudyKind> Studies { get; init; } = Enum.GetValues<StudyKind>();

    /// <summary>Throws naming the setting when a value is out of range.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"{nameof(Epochs)} must be at least 1 (was {Epochs}).");
        if (BatchSize < 1) throw new ArgumentException($"{nameof(BatchSize)} must be at least 1 (was {BatchSize}).");
        if (AnnealFraction is <= 0 or > 1) throw new ArgumentException($"{nameof(AnnealFraction)} must be in (0, 1] (was {AnnealFraction}).");
        if (DaeWeightDecays.Length == 0 || DaeWeightDecays.Any(d => d < 0)) throw new ArgumentException($"{nameof(DaeWeightDecays)} needs non-negative values.");
        var unknown = Baselines.Except(KnownBaselines).ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"Unknown baseline(s) {string.Join(", ", unknown)}; known: {string.Join(", ", KnownBaselines)}.");
        if (EaseLambdas.Length == 0 || EaseLambdas.Any(l => l <= 0)) throw new ArgumentException($"{nameof(EaseLambdas)} needs positive values.");
        if (WmfPositiveWeights.Length == 0 || WmfPositiveWeights.Any(c => c <= 1)) throw new ArgumentException($"{nameof(WmfPositiveWeights)} needs values above 1.");
        if (WmfFactors.Length == 0 || WmfFactors.Any(k => k < 1)) throw new ArgumentException($"{nameof(WmfFactors)} needs positive values.");
        if (SlimRegularization.Length == 0 || SlimRegularization.Any(l => l < 0)) throw new ArgumentException($"{nameof(SlimRegularization)} needs non-negative values.");
        if (CdaeWeightDecays.Length == 0 || CdaeWeightDecays.Any(d => d < 0)) throw new ArgumentException($"{nameof(CdaeWeightDecays)} needs non-negative values.");
        if (CdaeEpochs < 1) throw new ArgumentException($"{nameof(CdaeEpochs)} must be at least 1 (was {CdaeEpochs}).");
        if (LeaveOneOutNegatives < 1) throw new ArgumentException($"{nameof(LeaveOneOutNegatives)} must be at least 1 (was {LeaveOneOutNegatives}).");
        if (EvaluationBatchSize < 1) throw new ArgumentException($"{nameof(EvaluationBatchSize)} must be at least 1 (was {EvaluationBatchSize}).");
        if (Studies.Count == 0) throw new ArgumentException("At least one study is needed.");
    }

    /// <summary>Baseline names <see cref="Baselines"/> accepts.</summary>
    public static IReadOnlyList<string> KnownBaselines { get; } = ["popularity", "ease", "wmf", "slim", "cdae"];
}
