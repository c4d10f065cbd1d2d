namespace VaeCfCluster.Model.Baselines;

/// <summary>
/// Settings of <see cref="WmfScorer"/>, weighted matrix factorization (Hu, Koren and Volinsky, "Collaborative
/// Filtering for Implicit Feedback Datasets", ICDM 2008) trained by alternating least squares, as Liang et al.
/// (WWW 2018, Section 4.4) use it: weight 1 on every zero of the click matrix and a tuned weight on every one.
/// </summary>
public sealed record WmfOptions
{
    /// <summary>
    /// Latent dimension K. Liang et al. tune K ∈ {100, 200}; the default is 100, the smaller (and twice as cheap:
    /// each user solve is O(K³)) member of that grid. Too small: the factors cannot tell apart the tastes of
    /// different users and the ranking drifts towards popularity. Too large: slower, and on small data sets the
    /// extra dimensions fit noise unless <see cref="Lambda"/> grows with it.
    /// </summary>
    public int Factors { get; init; } = 100;

    /// <summary>
    /// The confidence c₁ on observed clicks (the zeros get confidence 1), i.e. Hu et al.'s <c>1 + α</c> with
    /// linear confidence. Liang et al. tune it in {2, 5, 10, 30, 50, 100}; the paper gives no default, 10 is the
    /// middle of that grid. Too small (near 1): clicks weigh no more than the sea of zeros and the model predicts
    /// almost nothing but zero, favouring very popular items. Too large: the fit chases every click, scores of
    /// all clicked items saturate and the zeros stop acting as (weak) negatives.
    /// </summary>
    public double PositiveWeight { get; init; } = 10;

    /// <summary>
    /// The L2 penalty λ in <c>λ(Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)</c>, unscaled as in Hu et al. (no division by the number
    /// of clicks). Liang et al. do not state it. Default 10: on a 150-user strong-generalization split of ml-100k
    /// (K = 100, 8 sweeps) the common ALS default 0.01 gave NDCG@100 0.33–0.39 across c₁ ∈ {2, 5, 10, 30}, against
    /// 0.37–0.44 for λ = 10; the best λ grows with c₁ (λ = 100 was best at c₁ = 30), so tune the two together, e.g.
    /// λ ∈ {0.1, 1, 10, 100}. Too small: factors of rarely clicked items and light users overfit their few clicks.
    /// Too large: all factors shrink towards zero and the ranking collapses towards popularity.
    /// </summary>
    public double Lambda { get; init; } = 10;

    /// <summary>
    /// Number of ALS sweeps (each solves every user, then every item, exactly). Default 15. Too few: the factors
    /// have not converged from their random start. Too many: only costs time; the objective decreases
    /// monotonically and flattens after roughly 10 sweeps.
    /// </summary>
    public int Sweeps { get; init; } = 15;

    /// <summary>Standard deviation of the Gaussian initial item factors (users are solved first). Default 0.01.</summary>
    public double InitialScale { get; init; } = 0.01;

    /// <summary>Seed of the random initial item factors; the same seed gives the same model.</summary>
    public ulong Seed { get; init; } = 98765;
}
