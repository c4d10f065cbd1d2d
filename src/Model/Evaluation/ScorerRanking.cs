using TorchSharp;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>Each row's top items from any <see cref="IRecommenderScorer"/>, for evaluation and for recommending.</summary>
public static class ScorerRanking
{
    /// <summary>
    /// Scores rows [start, start + count) of <paramref name="foldIn"/>, masks their fold-in items with −∞ and returns
    /// the top <paramref name="k"/> item indices, best first, row-major [count, k]; a <see cref="ITopItemsScorer"/>
    /// ranks itself. A row with fewer than k items outside its fold-in gets masked items last.
    /// </summary>
    public static long[] TopItems(IRecommenderScorer scorer, ClickMatrix foldIn, int start, int count, int k)
    {
        if (scorer is ITopItemsScorer ranker) return ranker.TopItems(foldIn, start, count, k);
        using var scope = torch.NewDisposeScope();
        var scores = CheckedScores(scorer, foldIn, start, count).contiguous();

        var offsets = foldIn.RowOffsets;
        int baseOffset = offsets[start], clicks = offsets[start + count] - baseOffset;
        if (clicks > 0)
        {
            var flat = new long[clicks];
            var columns = foldIn.Columns;
            for (int b = 0; b < count; b++)
                for (int k2 = offsets[start + b]; k2 < offsets[start + b + 1]; k2++)
                    flat[k2 - baseOffset] = (long)b * foldIn.ColumnCount + columns[k2];
            using var index = torch.tensor(flat, device: scores.device);
            scores.view(-1).FillNegativeInfinityInPlace(0, index);
        }
        var (values, indices) = scores.topk(k, dim: 1, largest: true, sorted: true);
        // topk orders NaN above every number, so a row with any NaN score has one among its top values.
        if (values.isnan().any().item<bool>())
            throw new InvalidOperationException($"The scorer returned NaN scores for users [{start}, {start + count}).");
        return indices.cpu().data<long>().ToArray();
    }

    /// <summary>
    /// <see cref="IRecommenderScorer.Score"/> of rows [start, start + count), refused with <see cref="InvalidOperationException"/>
    /// unless it is a floating-point [count, items] tensor.
    /// </summary>
    public static torch.Tensor CheckedScores(IRecommenderScorer scorer, ClickMatrix foldIn, int start, int count)
    {
        var scores = scorer.Score(foldIn, start, count);
        if (scores.ndim != 2 || scores.shape[0] != count || scores.shape[1] != foldIn.ColumnCount)
            throw new InvalidOperationException(
                $"The scorer returned shape [{string.Join(", ", scores.shape)}] for users [{start}, {start + count}); expected [{count}, {foldIn.ColumnCount}].");
        if (!scores.is_floating_point())
            throw new InvalidOperationException($"The scorer returned {scores.dtype} scores; expected floating point.");
        return scores;
    }
}
