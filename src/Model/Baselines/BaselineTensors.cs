using TorchSharp;
using VaeCfCluster.Model.Data;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Baselines;

/// <summary>
/// Tensor helpers shared by the baselines: densifying a batch of CSR rows, the item-item Gram matrix
/// <c>XᵀX</c> built without ever holding the dense users-by-items matrix, the CSR transpose, and argument checks.
/// None of them opens a dispose scope: callers own one.
/// </summary>
internal static class BaselineTensors
{
    /// <summary>Upper bound on the elements of one temporary dense block (about 64 MB of float32).</summary>
    internal const long BlockElements = 16L << 20;

    /// <summary>Rows [start, start + count) of <paramref name="clicks"/> as a dense float32 [count, columns] 0/1 tensor.</summary>
    internal static Tensor DenseRows(ClickMatrix clicks, int start, int count)
    {
        int columns = clicks.ColumnCount;
        var offsets = clicks.RowOffsets;
        var stored = clicks.Columns;
        int begin = offsets[start];
        var flat = new long[offsets[start + count] - begin];
        for (int r = 0; r < count; r++)
        {
            long rowBase = (long)r * columns;
            for (int k = offsets[start + r]; k < offsets[start + r + 1]; k++) flat[k - begin] = rowBase + stored[k];
        }
        var dense = zeros((long)count * columns, dtype: ScalarType.Float32);
        if (flat.Length > 0) dense.index_fill_(0, tensor(flat), SafeTensorMath.One);
        return dense.view(count, columns);
    }

    /// <summary>
    /// The Gram (co-occurrence) matrix <c>G = XᵀX</c>, <c>G_ij</c> = number of rows that hold both column i and j,
    /// as a dense float32 [I, I] tensor. Built by <c>index_add_</c>: every stored click (u, i) adds row x_u to
    /// <c>G[i, :]</c>, so the cost is (number of clicks) × I rather than users × I²; counts are exact in float32
    /// up to 2²⁴ rows.
    /// </summary>
    internal static Tensor Gram(ClickMatrix clicks, Action<string>? log = null)
    {
        int items = clicks.ColumnCount;
        var gram = zeros(items, items, dtype: ScalarType.Float32);
        var offsets = clicks.RowOffsets;
        long budget = Math.Max(1, BlockElements / Math.Max(1, items));
        int start = 0, blocks = 0;
        while (start < clicks.RowCount)
        {
            // Take rows while their clicks (rows of the gathered block) stay within the budget; at least one row.
            int end = start + 1;
            while (end < clicks.RowCount && offsets[end + 1] - offsets[start] <= budget && end - start < budget) end++;
            using (var scope = NewDisposeScope())
            {
                int count = end - start;
                var dense = DenseRows(clicks, start, count);
                int nnz = offsets[end] - offsets[start];
                var userOfClick = new long[nnz];
                var itemOfClick = new long[nnz];
                var stored = clicks.Columns;
                for (int r = 0; r < count; r++)
                    for (int k = offsets[start + r]; k < offsets[start + r + 1]; k++)
                    {
                        userOfClick[k - offsets[start]] = r;
                        itemOfClick[k - offsets[start]] = stored[k];
                    }
                if (nnz > 0) gram.IndexAddInPlace(0, tensor(itemOfClick), dense.index_select(0, tensor(userOfClick)));
            }
            start = end;
            if (++blocks % 50 == 0) log?.Invoke($"Gram matrix: {start}/{clicks.RowCount} rows");
        }
        return gram;
    }

    /// <summary>The transpose of a click matrix (items become rows), by a counting sort over the stored clicks.</summary>
    internal static ClickMatrix Transpose(ClickMatrix clicks)
    {
        var offsets = new int[clicks.ColumnCount + 1];
        foreach (int c in clicks.Columns) offsets[c + 1]++;
        for (int c = 0; c < clicks.ColumnCount; c++) offsets[c + 1] += offsets[c];
        var fill = offsets.AsSpan(0, clicks.ColumnCount).ToArray();
        var rows = new int[clicks.NonZeroCount];
        for (int r = 0; r < clicks.RowCount; r++)
            foreach (int c in clicks.Row(r)) rows[fill[c]++] = r;
        return new ClickMatrix(clicks.ColumnCount, clicks.RowCount, offsets, rows);
    }

    /// <summary>Checks the arguments of <c>IRecommenderScorer.Score</c>.</summary>
    internal static void CheckScoreArguments(ClickMatrix foldIn, int start, int count, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(foldIn);
        if (foldIn.ColumnCount != itemCount)
            throw new ArgumentException($"The fold-in matrix has {foldIn.ColumnCount} items but the model was fitted on {itemCount}.", nameof(foldIn));
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((long)start + count > foldIn.RowCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows [{start}, {start + count}) exceed the {foldIn.RowCount} fold-in rows.");
    }

    /// <summary>Scores of an item-item model (EASE, SLIM): the dense fold-in batch times <paramref name="weights"/>.</summary>
    internal static Tensor ScoreItemItem(ClickMatrix foldIn, int start, int count, Tensor weights)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var scores = DenseRows(foldIn, start, count).matmul(weights);
        return scores.MoveToOuterDisposeScope();
    }
}
