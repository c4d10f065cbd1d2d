namespace VaeCfCluster.Model.Data;

/// <summary>
/// A binary user-by-item click matrix in compressed sparse row (CSR) form: row r's clicked columns are
/// <c>Columns[RowOffsets[r] .. RowOffsets[r + 1])</c>, sorted ascending and without duplicates.
/// Implicit feedback carries no values: every stored entry is a 1.
/// </summary>
public sealed class ClickMatrix
{
    private readonly int[] _rowOffsets;
    private readonly int[] _columns;

    /// <summary>Wraps CSR arrays, checking their invariants (offsets monotone, columns in range, sorted, unique).</summary>
    public ClickMatrix(int rowCount, int columnCount, int[] rowOffsets, int[] columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(columnCount);
        if (rowOffsets.Length != rowCount + 1 || rowOffsets[0] != 0 || rowOffsets[rowCount] != columns.Length)
            throw new ArgumentException("Row offsets must have rowCount + 1 entries from 0 to the number of columns stored.");
        for (int r = 0; r < rowCount; r++)
        {
            int start = rowOffsets[r], end = rowOffsets[r + 1];
            if (end < start) throw new ArgumentException($"Row offsets decrease at row {r}.");
            if (end > columns.Length) throw new ArgumentException($"Row {r} ends at {end}, past the {columns.Length} columns stored.");
            for (int k = start; k < end; k++)
            {
                int c = columns[k];
                if ((uint)c >= (uint)columnCount) throw new ArgumentException($"Column {c} in row {r} is outside [0, {columnCount}).");
                if (k > start && c <= columns[k - 1]) throw new ArgumentException($"Columns of row {r} are not sorted and unique.");
            }
        }
        RowCount = rowCount;
        ColumnCount = columnCount;
        _rowOffsets = rowOffsets;
        _columns = columns;
    }

    /// <summary>Number of rows (users).</summary>
    public int RowCount { get; }

    /// <summary>Number of columns (items).</summary>
    public int ColumnCount { get; }

    /// <summary>Number of stored clicks.</summary>
    public int NonZeroCount => _columns.Length;

    /// <summary>CSR row offsets, length <see cref="RowCount"/> + 1.</summary>
    public ReadOnlySpan<int> RowOffsets => _rowOffsets;

    /// <summary>CSR column indices of all rows, concatenated.</summary>
    public ReadOnlySpan<int> Columns => _columns;

    /// <summary>The sorted clicked columns of one row.</summary>
    public ReadOnlySpan<int> Row(int row) => _columns.AsSpan(_rowOffsets[row], _rowOffsets[row + 1] - _rowOffsets[row]);

    /// <summary>Number of clicks in one row.</summary>
    public int RowLength(int row) => _rowOffsets[row + 1] - _rowOffsets[row];

    /// <summary>A new matrix holding the given rows, in the given order.</summary>
    public ClickMatrix SelectRows(ReadOnlySpan<int> rows)
    {
        var offsets = new int[rows.Length + 1];
        for (int i = 0; i < rows.Length; i++) offsets[i + 1] = offsets[i] + RowLength(rows[i]);
        var columns = new int[offsets[rows.Length]];
        for (int i = 0; i < rows.Length; i++) Row(rows[i]).CopyTo(columns.AsSpan(offsets[i]));
        return new ClickMatrix(rows.Length, ColumnCount, offsets, columns);
    }

    /// <summary>A new matrix holding the contiguous rows [start, start + count).</summary>
    public ClickMatrix SliceRows(int start, int count)
    {
        var offsets = new int[count + 1];
        int baseOffset = _rowOffsets[start];
        for (int i = 0; i <= count; i++) offsets[i] = _rowOffsets[start + i] - baseOffset;
        var columns = _columns.AsSpan(baseOffset, offsets[count]).ToArray();
        return new ClickMatrix(count, ColumnCount, offsets, columns);
    }

    /// <summary>Number of clicks per column (item popularity).</summary>
    public int[] ColumnCounts()
    {
        var counts = new int[ColumnCount];
        foreach (int c in _columns) counts[c]++;
        return counts;
    }

    /// <summary>
    /// Builds a matrix from (row, column) pairs in any order; duplicate pairs are merged into one click.
    /// </summary>
    public static ClickMatrix FromPairs(int rowCount, int columnCount, ReadOnlySpan<int> rows, ReadOnlySpan<int> columns)
    {
        if (rows.Length != columns.Length) throw new ArgumentException("rows and columns differ in length.");
        var counts = new int[rowCount + 1];
        foreach (int r in rows)
        {
            if ((uint)r >= (uint)rowCount) throw new ArgumentException($"Row {r} is outside [0, {rowCount}).");
            counts[r + 1]++;
        }
        for (int r = 0; r < rowCount; r++) counts[r + 1] += counts[r];
        var fill = counts.AsSpan(0, rowCount).ToArray();
        var scattered = new int[rows.Length];
        for (int k = 0; k < rows.Length; k++) scattered[fill[rows[k]]++] = columns[k];
        var offsets = new int[rowCount + 1];
        int write = 0;
        for (int r = 0; r < rowCount; r++)
        {
            var row = scattered.AsSpan(counts[r], counts[r + 1] - counts[r]);
            row.Sort();
            int start = write;
            for (int k = 0; k < row.Length; k++)
                if (write == start || scattered[write - 1] != row[k]) scattered[write++] = row[k];
            offsets[r + 1] = write;
        }
        return new ClickMatrix(rowCount, columnCount, offsets, scattered.AsSpan(0, write).ToArray());
    }
}
