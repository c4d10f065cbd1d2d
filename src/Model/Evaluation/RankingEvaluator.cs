using TorchSharp;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Strong-generalization evaluation (Liang et al. 2018, Sections 4.2-4.3): each held-out user's fold-in clicks are given
/// to a scorer, the fold-in items are removed from the ranking (their scores set to -inf, as the reference code does with
/// <c>pred_val[X.nonzero()] = -np.inf</c>), and the top-R items are compared with the user's held-out clicks.
/// </summary>
/// <remarks>
/// Users are scored <see cref="BatchSize"/> at a time, so memory holds one batch-by-items score matrix, never all users.
/// The ranking is <c>torch.topk</c> of the largest cutoff per batch; per-user metrics are then computed from the top
/// indices and the held-out CSR rows. Items tied in score are ordered as topk leaves them (as arbitrary as the
/// reference's argpartition). Fold-in and held-out clicks of a user must be disjoint, as the split makes them.
/// The evaluator owns each score tensor the scorer returns (as <see cref="IRecommenderScorer.Score"/> says) and writes
/// the -inf mask into it in place, saving a batch-sized copy: a scorer must return a fresh tensor, never a view of
/// one it keeps.
/// </remarks>
public sealed class RankingEvaluator
{
    /// <summary>Default users per scoring batch: 500 users x 20,000 items is 40 MB of float32 scores.</summary>
    public const int DefaultBatchSize = 500;

    /// <summary>Evaluates <paramref name="metrics"/> (default <see cref="RankingMetric.PaperMetrics"/>) in batches of
    /// <paramref name="batchSize"/> users. A larger batch uses memory proportional to batch x items; a very small one
    /// pays per-call overhead in the scorer. Results do not depend on it.</summary>
    public RankingEvaluator(IReadOnlyList<RankingMetric>? metrics = null, int batchSize = DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        metrics ??= RankingMetric.PaperMetrics;
        if (metrics.Count == 0 || metrics.Distinct().Count() != metrics.Count)
            throw new ArgumentException("At least one metric is needed and none may repeat.", nameof(metrics));
        Metrics = metrics.ToArray();
        BatchSize = batchSize;
        MaxCutoff = Metrics.Max(m => m.Cutoff);
    }

    /// <summary>The metrics computed, in result order.</summary>
    public IReadOnlyList<RankingMetric> Metrics { get; }

    /// <summary>Users scored per call of the scorer.</summary>
    public int BatchSize { get; }

    /// <summary>The largest cutoff: how many top items are extracted per user.</summary>
    public int MaxCutoff { get; }

    /// <summary>Told, after each batch, how many of the evaluated range's users are done (progress of long evaluations).</summary>
    public Action<int>? UsersDone { get; init; }

    /// <summary>Evaluates all users of <paramref name="users"/>.</summary>
    public EvaluationResult Evaluate(IRecommenderScorer scorer, HeldOutUsers users) =>
        new(EvaluateRange(scorer, users, 0, users.UserCount));

    /// <summary>
    /// Per-user values for users [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>). Ranges
    /// evaluated separately and joined with <see cref="UserRangeMetrics.Combine"/> equal the evaluation of their union.
    /// </summary>
    /// <exception cref="ArgumentException">The scorer's item count differs from the data's, a user's fold-in and
    /// held-out clicks overlap.</exception>
    /// <exception cref="InvalidOperationException">The scorer returned a tensor of the wrong shape or type, or NaN scores.</exception>
    public UserRangeMetrics EvaluateRange(IRecommenderScorer scorer, HeldOutUsers users, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, users.UserCount - count);
        int items = users.FoldIn.ColumnCount;
        if (scorer.ItemCount != items)
            throw new ArgumentException($"The scorer ranks {scorer.ItemCount} items but the users' data has {items}.", nameof(scorer));

        var foldInCounts = new int[count];
        var heldOutCounts = new int[count];
        var values = new double[Metrics.Count][];
        for (int m = 0; m < values.Length; m++) values[m] = new double[count];
        int topCount = Math.Min(MaxCutoff, items);
        var stamps = new int[items];
        var hits = new bool[topCount];

        using var noGrad = torch.no_grad();
        for (int batchStart = start; batchStart < start + count; batchStart += BatchSize)
        {
            int batchCount = Math.Min(BatchSize, start + count - batchStart);
            // A batch whose users all lack held-out items is not scored at all.
            bool anyHeldOut = false;
            for (int b = 0; b < batchCount && !anyHeldOut; b++) anyHeldOut = users.HeldOut.RowLength(batchStart + b) > 0;
            long[] top = anyHeldOut ? ScorerRanking.TopItems(scorer, users.FoldIn, batchStart, batchCount, topCount) : [];
            for (int b = 0; b < batchCount; b++)
            {
                int user = batchStart + b, offset = user - start;
                var heldOut = users.HeldOut.Row(user);
                var foldIn = users.FoldIn.Row(user);
                foldInCounts[offset] = foldIn.Length;
                heldOutCounts[offset] = heldOut.Length;
                if (heldOut.IsEmpty)
                {
                    for (int m = 0; m < values.Length; m++) values[m][offset] = double.NaN;
                    continue;
                }
                int stamp = offset + 1;
                foreach (int item in heldOut) stamps[item] = stamp;
                foreach (int item in foldIn)
                    if (stamps[item] == stamp)
                        throw new ArgumentException($"User {user} ('{users.UserIds[user]}') has item {item} in both fold-in and held-out clicks.", nameof(users));
                for (int r = 0; r < topCount; r++) hits[r] = stamps[top[(long)b * topCount + r]] == stamp;
                for (int m = 0; m < values.Length; m++) values[m][offset] = Metrics[m].FromHits(hits, heldOut.Length);
            }
            UsersDone?.Invoke(batchStart + batchCount - start);
        }
        return new UserRangeMetrics(start, Metrics, foldInCounts, heldOutCounts, values);
    }
}
