using VaeCfCluster.Model.Data;
using Xunit;

namespace VaeCfCluster.Model.Tests.Support;

/// <summary>
/// Checks a scorer's top items against each row's top items taken on the host from the whole score matrix, fold-in
/// items excluded.
/// </summary>
public static class WholeMatrixRanking
{
    /// <summary>
    /// Asserts <paramref name="actual"/> [rows, k] has k distinct non-fold-in items per row scoring, rank by rank, as the
    /// host's ranking of <paramref name="scores"/> [rows, items] (within 1e-5: products over a range of columns may
    /// round apart from the whole product in the last bit).
    /// </summary>
    public static void AssertRanksAs(long[] actual, float[] scores, ClickMatrix foldIn, int start, int rows, int items, int k)
    {
        Assert.Equal(rows * k, actual.Length);
        for (int u = 0; u < rows; u++)
        {
            var clicked = foldIn.Row(start + u).ToArray().ToHashSet();
            var expected = Enumerable.Range(0, items).Where(i => !clicked.Contains(i))
                .OrderByDescending(i => scores[u * items + i]).Take(k).ToArray();
            var row = actual.Skip(u * k).Take(k).Select(i => (int)i).ToArray();
            Assert.Equal(k, row.Distinct().Count());
            Assert.DoesNotContain(row, clicked.Contains);
            for (int r = 0; r < k; r++)
                Assert.True(Math.Abs(scores[u * items + row[r]] - scores[u * items + expected[r]]) <= 1e-5,
                    $"row {u}, rank {r}: item {row[r]} scores {scores[u * items + row[r]]}, the whole matrix's item {expected[r]} {scores[u * items + expected[r]]}");
        }
    }
}
