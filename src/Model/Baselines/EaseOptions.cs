namespace VaeCfCluster.Model.Baselines;

/// <summary>
/// Settings of <see cref="EaseScorer"/> (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019).
/// </summary>
public sealed record EaseOptions
{
    /// <summary>
    /// The L2 penalty λ in <c>‖X − XB‖²_F + λ‖B‖²_F</c>, added to the diagonal of the Gram matrix <c>XᵀX</c>
    /// before inverting it. Default 500, the value Steck reports for ML-20M and Netflix; the caller tunes it on
    /// validation NDCG@100 (a grid such as {100, 200, 500, 1000, 2000, 5000}). Too small: B copies the
    /// co-occurrence noise of rare items and the inverse becomes ill-conditioned (λ must stay positive for an
    /// item never clicked in training). Too large: B shrinks towards a scaled co-occurrence matrix and the ranking
    /// drifts towards plain item-item counts, dominated by popular items. Larger or denser data sets want larger λ.
    /// </summary>
    public double Lambda { get; init; } = 500;
}
