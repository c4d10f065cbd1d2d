using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Baselines;

/// <summary>
/// EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): a linear item-item
/// autoencoder without a hidden layer,
/// <c>B = argmin_B ‖X − XB‖²_F + λ‖B‖²_F  subject to diag(B) = 0</c>,
/// whose closed form is <c>P = (XᵀX + λI)⁻¹</c>, <c>B_ij = −P_ij / P_jj</c> for i ≠ j and <c>B_jj = 0</c>.
/// The zero diagonal stops the trivial solution B = I; off the diagonal B may be negative (items that
/// argue against each other). A user is scored by <c>x_u B</c> from the fold-in clicks x_u alone, so held-out
/// users need no training (strong generalization). Fitting costs one I×I inverse (O(I³), done in float64 by a
/// Cholesky factorisation); B is kept in float32 (I² × 4 bytes: 50 MB for 3,500 items, 1.6 GB for 20,000).
/// Measured on a shared 2-core machine, one intra-op thread: ml-1m (6,038 users × 3,533 items) fits in 9–13 s.
/// </summary>
public sealed class EaseScorer : IRecommenderScorer, IDisposable
{
    private EaseScorer(Tensor weights, EaseOptions options)
    {
        Weights = weights;
        Options = options;
        ItemCount = (int)weights.shape[0];
    }

    /// <inheritdoc />
    public int ItemCount { get; }

    /// <summary>The settings the model was fitted with.</summary>
    public EaseOptions Options { get; }

    /// <summary>The item-item weights B, float32 [I, I], zero diagonal. Owned by the scorer.</summary>
    internal Tensor Weights { get; }

    /// <summary>
    /// Computes B from the training clicks: the Gram matrix <c>G = XᵀX</c> (exact counts), <c>G + λI</c> in
    /// float64, its inverse through a Cholesky factorisation, then <c>B = I − P·diag(1/diag(P))</c>.
    /// </summary>
    /// <param name="train">Training users' full click histories.</param>
    /// <param name="options">Settings; <see cref="EaseOptions.Lambda"/> must be positive.</param>
    /// <param name="log">Optional progress messages.</param>
    public static EaseScorer Fit(ClickMatrix train, EaseOptions? options = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        options ??= new EaseOptions();
        if (!(options.Lambda > 0) || double.IsInfinity(options.Lambda))
            throw new ArgumentOutOfRangeException(nameof(options), options.Lambda, "EASE needs a positive, finite λ.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        log?.Invoke($"EASE: Gram matrix of {train.RowCount} users x {train.ColumnCount} items");
        // Each I × I temporary is freed as soon as the next exists (float64: 8·I² bytes each, 2.3 GB at 17k items): at
        // most two are alive at once, where keeping them to the end of the scope peaked at 12.6 GB on citeulike-a.
        var gram = ToFloat64(BaselineTensors.Gram(train, log));
        using (var diagonal = gram.diagonal()) diagonal.ShiftInPlace(options.Lambda);
        log?.Invoke("EASE: Cholesky inverse");
        var factor = linalg.cholesky(gram);
        gram.Dispose();
        var precision = cholesky_inverse(factor);
        factor.Dispose();
        // Views are disposed at once: a view left to the scope would keep its matrix's storage alive.
        using (var diagonal = precision.diagonal())
        using (var negated = diagonal.neg())
        using (var scale = negated.unsqueeze(0))
            precision.div_(scale);
        using (var diagonal = precision.diagonal()) diagonal.zero_();
        var result = precision.to(ScalarType.Float32).contiguous();
        precision.Dispose();
        result.DetachFromDisposeScope();
        log?.Invoke("EASE: done");
        return new EaseScorer(result, options);
    }

    private static Tensor ToFloat64(Tensor gram)
    {
        using (gram) return gram.to(ScalarType.Float64);
    }

    /// <summary>Scores <c>x_u B</c> for fold-in rows [start, start + count): a float32 [count, ItemCount] tensor.</summary>
    public Tensor Score(ClickMatrix foldIn, int start, int count)
    {
        BaselineTensors.CheckScoreArguments(foldIn, start, count, ItemCount);
        return BaselineTensors.ScoreItemItem(foldIn, start, count, Weights);
    }

    /// <summary>Frees the weight matrix.</summary>
    public void Dispose() => Weights.Dispose();
}
