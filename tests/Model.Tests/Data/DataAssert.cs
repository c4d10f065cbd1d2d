using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

/// <summary>Assertions shared by the data tests.</summary>
internal static class DataAssert
{
    /// <summary>The exception names the file, the 1-based line (as "file:line") and the field, and quotes the text.</summary>
    public static void Names(DataFormatException e, string file, long line, string field, string? offending = null)
    {
        Assert.Equal(file, e.FilePath);
        Assert.Equal(line, e.LineNumber);
        Assert.Equal(field, e.Field);
        Assert.Contains(line > 0 ? $"{file}:{line}" : file, e.Message);
        Assert.Contains($"'{field}'", e.Message);
        if (offending is not null) Assert.Contains($"\"{offending}\"", e.Message);
    }

    /// <summary>The rows of a table as (user id, item id, value) triples, in file order.</summary>
    public static List<(string User, string Item, float Value)> Rows(RatingTable table)
    {
        var rows = new List<(string, string, float)>();
        for (int k = 0; k < table.Count; k++)
            rows.Add((table.UserIds[table.Users[k]], table.ItemIds[table.Items[k]], table.Values[k]));
        return rows;
    }

    /// <summary>Every (row, column) pair of a matrix.</summary>
    public static HashSet<(int, int)> Pairs(ClickMatrix matrix)
    {
        var pairs = new HashSet<(int, int)>();
        for (int r = 0; r < matrix.RowCount; r++) foreach (int c in matrix.Row(r)) pairs.Add((r, c));
        return pairs;
    }

    /// <summary>The two matrices have the same shape and entries.</summary>
    public static void SameMatrix(ClickMatrix expected, ClickMatrix actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        Assert.Equal(expected.RowOffsets.ToArray(), actual.RowOffsets.ToArray());
        Assert.Equal(expected.Columns.ToArray(), actual.Columns.ToArray());
    }

    /// <summary>Every part of two splits is identical, ids included.</summary>
    public static void SameSplit(DataSplit expected, DataSplit actual)
    {
        Assert.Equal(expected.ItemIds, actual.ItemIds);
        SameMatrix(expected.Train, actual.Train);
        Assert.Equal(expected.TrainUserIds, actual.TrainUserIds);
        foreach (var (e, a) in new[] { (expected.Validation, actual.Validation), (expected.Test, actual.Test) })
        {
            SameMatrix(e.FoldIn, a.FoldIn);
            SameMatrix(e.HeldOut, a.HeldOut);
            Assert.Equal(e.UserIds, a.UserIds);
        }
    }
}
