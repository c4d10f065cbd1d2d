namespace VaeCfCluster.Model.Baselines;

/// <summary>
/// Settings of <see cref="SlimScorer"/> (Ning and Karypis, "SLIM: Sparse Linear Methods for Top-N Recommender
/// Systems", ICDM 2011). Liang et al. (WWW 2018, Section 4.4) grid-search both regularizers over
/// {0.1, 0.5, 1, 5} on validation NDCG@100; the paper states no default, so both default to 1, inside that grid.
/// </summary>
public sealed record SlimOptions
{
    /// <summary>
    /// The ℓ1 weight λ in <c>λ‖W‖₁</c>: every coordinate update subtracts λ before clipping at zero, so larger λ
    /// zeroes more weights. Default 1. Too small: W is as dense as the non-negativity constraint allows (slower to
    /// score, more noise from rare co-occurrences). Too large: weak item links vanish and rarely clicked items get
    /// no neighbours at all. On raw binary clicks the Gram entries are co-occurrence counts, so λ is measured in
    /// "users": λ = 5 drops a link only when it explains fewer than about five shared users.
    /// </summary>
    public double L1 { get; init; } = 1;

    /// <summary>
    /// The ℓ2 weight β in <c>(β/2)‖W‖²_F</c>, added to the diagonal of the Gram matrix in every update. Default 1.
    /// Too small (β = 0 is allowed): an item never clicked in training has a zero diagonal and stays unlinked, and
    /// correlated items split weight erratically. Too large: all weights shrink towards zero, and the scores
    /// tend towards a scaled co-occurrence ranking.
    /// </summary>
    public double L2 { get; init; } = 1;

    /// <summary>
    /// At most this many coordinate-descent sweeps (each updates every row of W once). Default 30.
    /// Too few: W stops short of the optimum (on ml-100k NDCG@100 rose from 0.418 after 10 sweeps to 0.423 after
    /// 20, then stayed). Too many: only costs time (3–5 s per sweep on ml-1m), since <see cref="Tolerance"/>
    /// usually stops earlier.
    /// </summary>
    public int MaxSweeps { get; init; } = 30;

    /// <summary>
    /// Stops after a sweep that changed W by at most this fraction of its size, ‖ΔW‖_F ≤ tolerance · ‖W‖_F.
    /// Default 0.01 (reached after about 25 sweeps on ml-100k and 24 on ml-1m). Too loose: an unconverged W that ranks worse.
    /// Too tight: coordinate descent converges slowly on these ill-conditioned problems, so each tenfold
    /// tightening costs several times more sweeps (and float32 round-off limits it near 1e-6).
    /// </summary>
    public double Tolerance { get; init; } = 0.01;
}
