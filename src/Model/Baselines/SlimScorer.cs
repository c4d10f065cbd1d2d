using System.Diagnostics;
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
/// Cost: every sweep performs I³ multiply-adds (I gemv products of length I × I), done column block by column
/// block so that the block of W being updated stays in cache; memory is about 3 I² floats. On ml-1m
/// (about 3,500 items) a fit takes tens of seconds on two cores; the cost grows with I³, so catalogs of
/// 20,000 items (ML-20M) take hours per setting (Liang et al. report two weeks for the Netflix grid search).
/// Progress is logged after each column block and sweep.
/// </para>
/// </summary>
public sealed class SlimScorer : IRecommenderScorer, IDisposable
{
    /// <summary>Default number of columns of W updated together (the cache-resident block).</summary>
    internal const int DefaultColumnBlock = 256;

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

    /// <summary>The largest number of sweeps any column block needed.</summary>
    public int SweepsRun { get; }

    /// <summary>Whether every column block met <see cref="SlimOptions.Tolerance"/> within <see cref="SlimOptions.MaxSweeps"/>.</summary>
    public bool Converged { get; }

    /// <summary>The item-item weights W, float32 [I, I], non-negative with a zero diagonal. Owned by the scorer.</summary>
    internal Tensor Weights { get; }

    /// <summary>Fits W by coordinate descent (see the type's remarks for cost). Progress goes to <paramref name="log"/>.</summary>
    /// <param name="train">Training users' full click histories.</param>
    /// <param name="options">Settings (<see cref="SlimOptions"/> defaults when null).</param>
    /// <param name="log">Optional progress messages.</param>
    public static SlimScorer Fit(ClickMatrix train, SlimOptions? options = null, Action<string>? log = null)
        => Fit(train, options, log, DefaultColumnBlock);

    internal static SlimScorer Fit(ClickMatrix train, SlimOptions? options, Action<string>? log, int columnBlock)
    {
        ArgumentNullException.ThrowIfNull(train);
        options ??= new SlimOptions();
        Validate(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(columnBlock, 1);
        var clock = Stopwatch.StartNew();
        int items = train.ColumnCount;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var gram = BaselineTensors.Gram(train, log);
        var diagonal = gram.diagonal().to(ScalarType.Float64).data<double>().ToArray();
        var weights = zeros(items, items, dtype: ScalarType.Float32);
        int maxSweeps = 0;
        bool converged = true;
        for (int first = 0; first < items; first += columnBlock)
        {
            int width = Math.Min(columnBlock, items - first);
            var (sweeps, blockConverged) = SolveBlock(gram, diagonal, weights, first, width, options);
            maxSweeps = Math.Max(maxSweeps, sweeps);
            converged &= blockConverged;
            log?.Invoke($"SLIM: columns {first + width}/{items} done ({sweeps} sweeps{(blockConverged ? "" : ", not converged")}), "
                + $"{clock.Elapsed.TotalSeconds:F1} s");
        }
        weights.DetachFromDisposeScope();
        return new SlimScorer(weights, options, maxSweeps, converged);
    }

    /// <summary>Scores <c>x_u W</c> for fold-in rows [start, start + count): a float32 [count, ItemCount] tensor.</summary>
    public Tensor Score(ClickMatrix foldIn, int start, int count)
    {
        BaselineTensors.CheckScoreArguments(foldIn, start, count, ItemCount);
        return BaselineTensors.ScoreItemItem(foldIn, start, count, Weights);
    }

    /// <summary>Frees the weight matrix.</summary>
    public void Dispose() => Weights.Dispose();

    /// <summary>Coordinate descent on columns [first, first + width) of W until converged; writes them into W.</summary>
    private static (int Sweeps, bool Converged) SolveBlock(Tensor gram, double[] diagonal, Tensor weights,
        int first, int width, SlimOptions options)
    {
        using var scope = NewDisposeScope();
        int items = diagonal.Length;
        var block = zeros(items, width, dtype: ScalarType.Float32);
        var gramBlock = gram.narrow(1, first, width).contiguous();
        for (int sweep = 1; sweep <= options.MaxSweeps; sweep++)
        {
            using var sweepScope = NewDisposeScope();
            var before = block.clone();
            for (int k = 0; k < items; k++)
            {
                double denominator = diagonal[k] + options.L2;
                if (denominator <= 0) continue; // an item never clicked, without ℓ2: its row stays zero
                using var step = NewDisposeScope();
                var row = block[k];
                var update = gramBlock[k].sub(gram[k].matmul(block)).add_(row, diagonal[k])
                    .sub_(options.L1).div_(denominator).relu_();
                if (k >= first && k < first + width) update[k - first] = 0;
                row.copy_(update);
            }
            double change = block.sub(before).abs_().max().item<float>();
            double largest = block.abs().max().item<float>();
            if (change <= options.Tolerance * largest)
            {
                weights.narrow(1, first, width).copy_(block);
                return (sweep, true);
            }
        }
        weights.narrow(1, first, width).copy_(block);
        return (options.MaxSweeps, false);
    }

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
