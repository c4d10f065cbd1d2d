using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// The baselines of Table 2 and the grids Section 4.4 searches for them: WMF's click confidence c1 × dimension K,
/// SLIM's ℓ1 × ℓ2, CDAE's weight decay, and EASE's λ (EASE came after the paper; its grid is the one its author
/// suggests). Popularity has nothing to tune.
/// </summary>
public static class BaselineGrid
{
    /// <summary>Display name of a baseline.</summary>
    public static string DisplayName(string baseline) => baseline switch
    {
        "popularity" => "Popularity",
        "ease" => "EASE",
        "wmf" => "WMF",
        "slim" => "SLIM",
        "cdae" => "CDAE",
        _ => throw new ArgumentException($"Unknown baseline '{baseline}'.", nameof(baseline)),
    };

    /// <summary>Why <paramref name="baseline"/> is not run on <paramref name="itemCount"/> items, or null when it is.</summary>
    public static string? SkipReason(string baseline, int itemCount, ExperimentSettings settings) =>
        baseline == "slim" && itemCount > settings.SlimMaxItems
            ? $"SLIM was skipped: {itemCount:N0} items exceed the limit of {settings.SlimMaxItems:N0} (it holds several items × items " +
              "matrices and its grid would take hours here; the paper skipped it on MSD for the same reason). Raise --slim-max-items to run it."
            : null;

    /// <summary>The grid of <paramref name="baseline"/> with the experiment's seed; ids are prefixed by <paramref name="idPrefix"/>.</summary>
    public static IReadOnlyList<BaselineCandidate> Candidates(string baseline, ExperimentSettings settings, Action<string>? log = null,
        string idPrefix = "")
    {
        ulong seed = unchecked((ulong)settings.Seed);
        string N(double v) => StudyContext.Number(v);
        return baseline switch
        {
            "popularity" => [new($"{idPrefix}popularity", "-", train => PopularityScorer.Fit(train))],
            "ease" => settings.EaseLambdas
                .Select(l => new BaselineCandidate($"{idPrefix}ease-lambda-{N(l)}", $"λ = {N(l)}",
                    train => EaseScorer.Fit(train, new EaseOptions { Lambda = l }, log)))
                .ToArray(),
            "wmf" => (from c in settings.WmfPositiveWeights
                      from k in settings.WmfFactors
                      select new BaselineCandidate($"{idPrefix}wmf-c1-{N(c)}-k-{k}", $"c1 = {N(c)}, K = {k}",
                          train => WmfScorer.Fit(train, new WmfOptions { PositiveWeight = c, Factors = k, Seed = seed }, log)))
                .ToArray(),
            "slim" => (from l1 in settings.SlimRegularization
                       from l2 in settings.SlimRegularization
                       select new BaselineCandidate($"{idPrefix}slim-l1-{N(l1)}-l2-{N(l2)}", $"ℓ1 = {N(l1)}, ℓ2 = {N(l2)}",
                           train => SlimScorer.Fit(train, new SlimOptions { L1 = l1, L2 = l2 }, log)))
                .ToArray(),
            "cdae" => settings.CdaeWeightDecays
                .Select(d => new BaselineCandidate($"{idPrefix}cdae-wd-{N(d)}", $"weight decay {N(d)}",
                    train => CdaeScorer.Fit(train, new CdaeOptions { WeightDecay = d, Epochs = settings.CdaeEpochs, Seed = seed }, log)))
                .ToArray(),
            _ => throw new ArgumentException($"Unknown baseline '{baseline}'.", nameof(baseline)),
        };
    }
}
