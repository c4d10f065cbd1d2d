namespace VaeCfCluster.Model.Data;

/// <summary>Appends rows of column indices one at a time and produces a <see cref="ClickMatrix"/>.</summary>
internal sealed class CsrBuilder
{
    private readonly List<int> _offsets;
    private int[] _columns;
    private int _count;

    public CsrBuilder(int rowCapacity, int columnCapacity)
    {
        _offsets = new List<int>(rowCapacity + 1) { 0 };
        _columns = new int[Math.Max(16, columnCapacity)];
    }

    /// <summary>Appends a column to the current row.</summary>
    public void Add(int column)
    {
        if (_count == _columns.Length) Array.Resize(ref _columns, (int)Math.Min(2L * _columns.Length, Array.MaxLength));
        _columns[_count++] = column;
    }

    /// <summary>Closes the current row, sorting its columns when they were added out of order.</summary>
    public void EndRow(bool sort)
    {
        int start = _offsets[^1];
        if (sort) _columns.AsSpan(start, _count - start).Sort();
        _offsets.Add(_count);
    }

    /// <summary>The matrix of all closed rows (checked by the <see cref="ClickMatrix"/> constructor).</summary>
    public ClickMatrix Build(int columnCount) =>
        new(_offsets.Count - 1, columnCount, _offsets.ToArray(), _columns.AsSpan(0, _count).ToArray());
}
