using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Each row's top items of a model whose scores are a dense output layer, formed a range of items at a time when a
/// batch's whole [rows × items] scores would exceed a bound, so ranking a million-item catalog never holds a
/// [batch × catalog] tensor. Below the bound one range is the whole catalog. Fold-in items are masked per range and
/// the ranges' top items merged (<see cref="TopItemCandidates"/>).
/// </summary>
public static class ItemRangeRanking
{
    /// <summary>2^26 float32 scores (256 MiB) per range: 1,000 users × 67k items.</summary>
    public const long DefaultMaxScoresPerRange = 1L << 26;

    /// <summary>
    /// The <paramref name="k"/> best items of each of <paramref name="rows"/> rows, best first, never a row's fold-in
    /// item, row-major [rows, k]. <paramref name="logitsOfRange"/>(first, width) gives the scores [rows, width] of items
    /// [first, first + width), a new tensor this method disposes before asking for the next range;
    /// <paramref name="foldInFlatIndices"/> are row·items + item of the rows' fold-in clicks.
    /// Throws <see cref="InvalidOperationException"/> naming <paramref name="what"/> on NaN scores.
    /// </summary>
    public static long[] TopItems(int items, int rows, Tensor foldInFlatIndices, Func<int, int, Tensor> logitsOfRange, int k,
        long maxScoresPerRange, string what)
    {
        using var scope = torch.NewDisposeScope();
        int width = (int)Math.Clamp(maxScoresPerRange / Math.Max(rows, 1), Math.Min(k, items), items);
        using var itemCount = ((long)items).ToScalar();
        var clickRows = foldInFlatIndices.div(itemCount, rounding_mode: RoundingMode.floor);
        var clickItems = foldInFlatIndices.remainder(itemCount);
        var scores = new List<Tensor>();
        var found = new List<Tensor>();
        for (int first = 0; first < items; first += width)
        {
            int length = Math.Min(width, items - first);
            using Scalar firstItem = ((long)first).ToScalar(), end = ((long)(first + length)).ToScalar(), rowLength = ((long)length).ToScalar();
            var inRange = clickItems.ge(firstItem).logical_and_(clickItems.lt(end));
            var foldIn = clickRows.masked_select(inRange).mul_(rowLength).add_(clickItems.masked_select(inRange).sub_(firstItem), SafeTensorMath.OneInteger);
            // OfRange disposes the range's scores once its candidates exist: only the candidates [rows, k] stay.
            var (top, at) = TopItemCandidates.OfRange(logitsOfRange(first, length), foldIn, first, k);
            scores.Add(top);
            found.Add(at);
        }
        return TopItemCandidates.Merge(scores, found, k, what);
    }
}
