namespace VaeCfCluster.Model.Data;

/// <summary>
/// Raw rating rows as read from a file, before any filtering: row k says user <c>Users[k]</c> gave item
/// <c>Items[k]</c> the value <c>Values[k]</c> (a star rating, a play count, or 1 for implicit data).
/// User and item indices are dense, numbered in order of first appearance in the file, and map back to the
/// external ids in <see cref="UserIds"/> and <see cref="ItemIds"/>. Duplicate (user, item) rows are kept as read.
/// </summary>
public sealed class RatingTable
{
    private readonly int[] _users;
    private readonly int[] _items;
    private readonly float[] _values;

    /// <summary>
    /// Wraps parallel arrays; only their first <paramref name="count"/> entries are rows (readers over-allocate).
    /// Indices are checked against the id lists.
    /// </summary>
    public RatingTable(string source, int[] users, int[] items, float[] values, int count,
        IReadOnlyList<string> userIds, IReadOnlyList<string> itemIds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (users.Length < count || items.Length < count || values.Length < count)
            throw new ArgumentException("users, items and values must each hold at least count entries.");
        for (int k = 0; k < count; k++)
        {
            if ((uint)users[k] >= (uint)userIds.Count) throw new ArgumentException($"Row {k}: user index {users[k]} has no id.");
            if ((uint)items[k] >= (uint)itemIds.Count) throw new ArgumentException($"Row {k}: item index {items[k]} has no id.");
        }
        Source = source;
        _users = users;
        _items = items;
        _values = values;
        Count = count;
        UserIds = userIds;
        ItemIds = itemIds;
    }

    /// <summary>Where the rows came from (a file or folder path), named in error messages.</summary>
    public string Source { get; }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Dense user index of each row.</summary>
    public ReadOnlySpan<int> Users => _users.AsSpan(0, Count);

    /// <summary>Dense item index of each row.</summary>
    public ReadOnlySpan<int> Items => _items.AsSpan(0, Count);

    /// <summary>Value of each row: the rating or count as read, 1 for implicit feedback.</summary>
    public ReadOnlySpan<float> Values => _values.AsSpan(0, Count);

    /// <summary>External user ids, in order of first appearance.</summary>
    public IReadOnlyList<string> UserIds { get; }

    /// <summary>External item ids, in order of first appearance.</summary>
    public IReadOnlyList<string> ItemIds { get; }
}
