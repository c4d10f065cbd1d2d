using TorchSharp;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Evaluation.LeaveOneOut;

/// <summary>
/// The NCF sampled-ranking evaluation (He et al. 2017, Section 4.1; Liang et al. 2018, Table 3): each test user's one
/// held-out item is ranked among itself and the user's sampled negatives, and
/// <list type="bullet">
/// <item>HR@K = 1 if rank &lt;= K, else 0 (reported as <see cref="RankingMetric.Recall"/>(K): with a single held-out item
/// Recall@K is exactly the hit ratio);</item>
/// <item>NDCG@K = 1 / log2(rank + 1) if rank &lt;= K, else 0 (the ideal DCG of one relevant item is 1).</item>
/// </list>
/// rank = 1 + the number of negatives scored strictly higher than the held-out item, so ties are resolved in the
/// held-out item's favour (a constant scorer gets HR = NDCG = 1). This is optimistic for models that emit many equal
/// scores; continuous scorers rarely tie.
/// </summary>
/// <remarks>
/// Users are scored <see cref="BatchSize"/> at a time, as in <see cref="RankingEvaluator"/>; from each batch's
/// [batch, items] score tensor only the 1 + negatives candidate scores per user are gathered (<c>torch.gather</c>) and
/// copied out, so the managed work per user is a loop over ~101 values. Fold-in items need no masking: candidates are
/// checked to be disjoint from the fold-in clicks. Results come as <see cref="UserRangeMetrics"/>, so standard errors,
/// shards and paired t-tests work as for the strong-generalization metrics.
/// </remarks>
public sealed class SampledRankingEvaluator
{
    /// <summary>NCF's cutoff: HR@10 and NDCG@10.</summary>
    public const int DefaultCutoff = 10;

    /// <summary>Evaluates HR@<paramref name="cutoff"/> and NDCG@<paramref name="cutoff"/> in batches of
    /// <paramref name="batchSize"/> users. A cutoff at or above 1 + negatives makes HR 1 for every user; the batch size
    /// trades memory (batch x items scores) against per-call overhead and does not change results.</summary>
    public SampledRankingEvaluator(int cutoff = DefaultCutoff, int batchSize = RankingEvaluator.DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cutoff, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Cutoff = cutoff;
        BatchSize = batchSize;
        HitRatio = RankingMetric.Recall(cutoff);
        Ndcg = RankingMetric.Ndcg(cutoff);
        Metrics = [HitRatio, Ndcg];
    }

    /// <summary>The cutoff K.</summary>
    public int Cutoff { get; }

    /// <summary>Users scored per call of the scorer.</summary>
    public int BatchSize { get; }

    /// <summary>HR@K, named Recall@K (equal with one held-out item).</summary>
    public RankingMetric HitRatio { get; }

    /// <summary>NDCG@K.</summary>
    public RankingMetric Ndcg { get; }

    /// <summary>The metrics computed, in result order: HR@K (as Recall@K), NDCG@K.</summary>
    public IReadOnlyList<RankingMetric> Metrics { get; }

    /// <summary>Evaluates the test users of a leave-one-out split against their negatives.</summary>
    public EvaluationResult Evaluate(IRecommenderScorer scorer, LeaveOneOutSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return Evaluate(scorer, split.Split.Test, split.TestNegatives);
    }

    /// <summary>Evaluates all users of <paramref name="users"/>; row u is ranked against <paramref name="negatives"/> row u.</summary>
    public EvaluationResult Evaluate(IRecommenderScorer scorer, HeldOutUsers users, SampledNegatives negatives) =>
        new(EvaluateRange(scorer, users, negatives, 0, users.UserCount));

    /// <summary>
    /// Per-user values for users [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>); ranges
    /// joined with <see cref="UserRangeMetrics.Combine"/> equal the evaluation of their union. A user with no held-out
    /// item is skipped (NaN values).
    /// </summary>
    /// <exception cref="ArgumentException">The scorer's or negatives' item count or user count does not match, a user
    /// has more than one held-out item, or a candidate (held-out item or negative) is among the user's fold-in clicks or
    /// a negative equals the held-out item.</exception>
    /// <exception cref="InvalidOperationException">The scorer returned a tensor of the wrong shape or type, or a NaN
    /// candidate score.</exception>
    public UserRangeMetrics EvaluateRange(IRecommenderScorer scorer, HeldOutUsers users, SampledNegatives negatives, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(negatives);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, users.UserCount - count);
        int items = users.FoldIn.ColumnCount;
        if (scorer.ItemCount != items)
            throw new ArgumentException($"The scorer ranks {scorer.ItemCount} items but the users' data has {items}.", nameof(scorer));
        if (negatives.UserCount != users.UserCount || negatives.ItemCount != items)
            throw new ArgumentException(
                $"The negatives are for {negatives.UserCount} users and {negatives.ItemCount} items; the users' data has {users.UserCount} and {items}.",
                nameof(negatives));

        int width = 1 + negatives.NegativeCount;
        var foldInCounts = new int[count];
        var heldOutCounts = new int[count];
        var hits = new double[count];
        var ndcg = new double[count];
        var stamps = new int[items];
        var candidates = new long[Math.Min(BatchSize, Math.Max(count, 1)) * (long)width];

        using var noGrad = torch.no_grad();
        for (int batchStart = start; batchStart < start + count; batchStart += BatchSize)
        {
            int batchCount = Math.Min(BatchSize, start + count - batchStart);
            bool anyHeldOut = false;
            for (int b = 0; b < batchCount; b++)
            {
                int user = batchStart + b, offset = user - start;
                var heldOut = users.HeldOut.Row(user);
                var foldIn = users.FoldIn.Row(user);
                foldInCounts[offset] = foldIn.Length;
                heldOutCounts[offset] = heldOut.Length;
                var row = candidates.AsSpan(b * width, width);
                if (heldOut.IsEmpty)
                {
                    row.Clear(); // gathered but never read
                    continue;
                }
                if (heldOut.Length > 1)
                    throw new ArgumentException($"User {user} ('{users.UserIds[user]}') has {heldOut.Length} held-out items; leave-one-out needs one.", nameof(users));
                anyHeldOut = true;
                CheckCandidates(users, negatives, user, stamps, offset + 1);
                row[0] = heldOut[0];
                var userNegatives = negatives.Row(user);
                for (int j = 0; j < userNegatives.Length; j++) row[1 + j] = userNegatives[j];
            }
            if (!anyHeldOut) continue;

            var scores = CandidateScores(scorer, users.FoldIn, batchStart, batchCount, candidates, width);
            for (int b = 0; b < batchCount; b++)
            {
                int offset = batchStart + b - start;
                if (heldOutCounts[offset] == 0)
                {
                    hits[offset] = ndcg[offset] = double.NaN;
                    continue;
                }
                var row = scores.AsSpan(b * width, width);
                foreach (double s in row)
                    if (double.IsNaN(s))
                        throw new InvalidOperationException($"The scorer returned a NaN score for a candidate item of user {batchStart + b}.");
                int rank = Rank(row[0], row[1..]);
                hits[offset] = rank <= Cutoff ? 1.0 : 0.0;
                ndcg[offset] = rank <= Cutoff ? RankingMetric.Discount(rank) : 0.0;
            }
        }
        return new UserRangeMetrics(start, Metrics, foldInCounts, heldOutCounts, [hits, ndcg]);
    }

    /// <summary>
    /// The 1-based rank of a held-out item among itself and its negatives: 1 + the number of negatives scored strictly
    /// higher. Ties go in the held-out item's favour.
    /// </summary>
    public static int Rank(double heldOutScore, ReadOnlySpan<double> negativeScores)
    {
        int rank = 1;
        foreach (double s in negativeScores) if (s > heldOutScore) rank++;
        return rank;
    }

    private static void CheckCandidates(HeldOutUsers users, SampledNegatives negatives, int user, int[] stamps, int stamp)
    {
        foreach (int item in users.FoldIn.Row(user)) stamps[item] = stamp;
        int heldOut = users.HeldOut.Row(user)[0];
        if (stamps[heldOut] == stamp)
            throw new ArgumentException($"User {user} ('{users.UserIds[user]}') has item {heldOut} in both fold-in and held-out clicks.", nameof(users));
        stamps[heldOut] = stamp;
        foreach (int item in negatives.Row(user))
            if (stamps[item] == stamp)
                throw new ArgumentException(
                    $"Negative item {item} of user {user} ('{users.UserIds[user]}') is one of the user's fold-in or held-out items.", nameof(negatives));
    }

    /// <summary>Scores one batch and returns the candidate scores, row-major [count, width], as doubles.</summary>
    private static double[] CandidateScores(IRecommenderScorer scorer, ClickMatrix foldIn, int start, int count, long[] candidates, int width)
    {
        using var scope = torch.NewDisposeScope();
        var scores = ScorerRanking.CheckedScores(scorer, foldIn, start, count);
        var index = torch.tensor(candidates.AsSpan(0, count * width).ToArray(), [count, width], device: scores.device);
        var gathered = scores.gather(1, index).to_type(torch.ScalarType.Float64).cpu();
        return gathered.data<double>().ToArray();
    }
}
