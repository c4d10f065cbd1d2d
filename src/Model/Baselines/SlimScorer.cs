using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Baselines;

/// <summary>
/// SLIM (Ning and Karypis, "SLIM: Sparse Linear Methods for Top-N Recommender Systems", ICDM 2011), the
/// item-item baseline of Liang et al. (WWW 2018, Section 4.4):
/// <c>min_W ½‖X − XW‖²_F + (β/2)‖W‖²_F + λ‖W‖₁  subject to W ≥ 0, diag(W) = 0</c>.
/// Users are scored by <c>x_u W</c> from their fold-in clicks alone (strong generalization needs no user
/// training). Solved by cyclic coordinate descent on the Gram matrix <c>G = XᵀX</c>: the columns of W are
/// independent problems, and for row k of W all columns at once take their exact coordinate minimiser
/// <c>W[k,:] = max(0, (G[k,:] − G[k,:]W + G_kk W[k,:] − λ) / (G_kk + β))</c>, then <c>W[k,k] = 0</c>.
/// <para>
/// Cost (see <see cref="SlimCoordinateDescent"/>): the product GW is maintained incrementally and W is sparse
/// (about 2.4% non-zero on ml-100k and ml-1m with λ = β = 1), so a sweep costs about nnz(W) × I multiply-adds
/// plus a dozen native calls per item; memory is four dense I × I float32 matrices (200 MB for 3,500 items,
/// 6.4 GB for 20,000). Measured on a shared 2-core machine, one intra-op thread: ml-100k (1,447 items) about
/// 0.3 s per sweep; ml-1m (3,533 items, all 6,038 users) 3–5 s per sweep, and the default settings stop after
/// 24 sweeps, 111 s in all. The sweep count needed grows with the
/// condition of G + βI: with small β coordinate descent converges slowly (relative change per sweep about 1% after
/// 25 sweeps on ml-100k, although NDCG@100 stopped moving after about 20). Catalogs of 20,000 items (ML-20M) need
/// 6.4 GB and minutes per sweep; Liang et al. report two weeks for the Netflix grid search and skip MSD.
/// Progress (relative change, density, elapsed time) is logged after every sweep.
/// </para>
/// <para>
/// Threads: the sweep is a long chain of small tensor ops, a few of which (the rank-one update of GW) are just big
/// enough for LibTorch to split across its intra-op threads. On a busy machine that synchronisation dominates:
/// ml-100k, 6 sweeps, took 3.8 s with <c>torch.set_num_threads(1)</c> and 18.7 s with 2 threads on 2 shared cores.
/// This type leaves the thread count to the caller; fit SLIM with one intra-op thread unless the cores are idle.
/// </para>
/// </summary>
public sealed class SlimScorer : IRecommenderScorer, IDisposable
{
    private SlimScorer(Tensor weights, SlimOptions options, int sweeps, bool converged)
    {
        Weights = weights;
        Options = options;
        SweepsRun = sweeps;
        Converged = converged;
        ItemCount = (int)weights.shape[0];
    }

    /// <inheritdoc />
    public int ItemCount { get; }

    /// <summary>The settings the model was fitted with.</summary>
    public SlimOptions Options { get; }

    /// <summary>Number of coordinate-descent sweeps run.</summary>
    public int SweepsRun { get; }

    /// <summary>Whether <see cref="SlimOptions.Tolerance"/> was met within <see cref="SlimOptions.MaxSweeps"/>.</summary>
    public bool Converged { get; }

    /// <summary>The item-item weights W, float32 [I, I], non-negative with a zero diagonal. Owned by the scorer.</summary>
    internal Tensor Weights { get; }

    /// <summary>Fits W by coordinate descent (see the type's remarks for cost). Progress goes to <paramref name="log"/>.</summary>
    /// <param name="train">Training users' full click histories.</param>
    /// <param name="options">Settings (<see cref="SlimOptions"/> defaults when null).</param>
    /// <param name="log">Optional progress messages, one per sweep.</param>
    public static SlimScorer Fit(ClickMatrix train, SlimOptions? options = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        options ??= new SlimOptions();
        Validate(options);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        log?.Invoke($"SLIM: Gram matrix of {train.RowCount} users x {train.ColumnCount} items");
        var gram = BaselineTensors.Gram(train, log);
        var (weights, sweeps, converged) = SlimCoordinateDescent.Solve(gram, options, log);
        return new SlimScorer(weights, options, sweeps, converged);
    }

    /// <summary>Scores <c>x_u W</c> for fold-in rows [start, start + count): a float32 [count, ItemCount] tensor.</summary>
    public Tensor Score(ClickMatrix foldIn, int start, int count)
    {
        BaselineTensors.CheckScoreArguments(foldIn, start, count, ItemCount);
        return BaselineTensors.ScoreItemItem(foldIn, start, count, Weights);
    }

    /// <summary>Frees the weight matrix.</summary>
    public void Dispose() => Weights.Dispose();

    private static void Validate(SlimOptions options)
    {
        if (!(options.L1 >= 0) || double.IsInfinity(options.L1))
            throw new ArgumentOutOfRangeException(nameof(options), options.L1, "The ℓ1 weight must be finite and non-negative.");
        if (!(options.L2 >= 0) || double.IsInfinity(options.L2))
            throw new ArgumentOutOfRangeException(nameof(options), options.L2, "The ℓ2 weight must be finite and non-negative.");
        if (options.MaxSweeps < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxSweeps, "SLIM needs at least one sweep.");
        if (!(options.Tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(options), options.Tolerance, "The tolerance must be non-negative.");
    }
}
