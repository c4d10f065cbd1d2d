namespace VaeCfCluster.Model.Data;

/// <summary>
/// A preprocessed implicit-feedback data set: a binary user-by-item <see cref="ClickMatrix"/> plus the external
/// id of every row and column. This is what <see cref="ClickPreprocessor"/> and <see cref="SyntheticDataGenerator"/>
/// produce and what <see cref="StrongGeneralizationSplitter"/> splits.
/// </summary>
public sealed class ClickDataSet
{
    public ClickDataSet(ClickMatrix clicks, IReadOnlyList<string> userIds, IReadOnlyList<string> itemIds)
    {
        if (clicks.RowCount != userIds.Count) throw new ArgumentException("The click matrix rows and the user ids differ in number.");
        if (clicks.ColumnCount != itemIds.Count) throw new ArgumentException("The click matrix columns and the item ids differ in number.");
        Clicks = clicks;
        UserIds = userIds;
        ItemIds = itemIds;
    }

    /// <summary>Users by items, one stored entry per click.</summary>
    public ClickMatrix Clicks { get; }

    /// <summary>External id of each user (row).</summary>
    public IReadOnlyList<string> UserIds { get; }

    /// <summary>External id of each item (column).</summary>
    public IReadOnlyList<string> ItemIds { get; }

    /// <summary>Number of users.</summary>
    public int UserCount => Clicks.RowCount;

    /// <summary>Number of items.</summary>
    public int ItemCount => Clicks.ColumnCount;

    /// <summary>Number of clicks.</summary>
    public int ClickCount => Clicks.NonZeroCount;

    /// <summary>Fraction of the user-by-item matrix that is clicked.</summary>
    public double Density => UserCount == 0 || ItemCount == 0 ? 0 : (double)ClickCount / ((double)UserCount * ItemCount);
}
