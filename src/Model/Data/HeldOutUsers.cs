namespace VaeCfCluster.Model.Data;

/// <summary>
/// Validation or test users under strong generalization: row u of <see cref="FoldIn"/> (about 80% of the user's
/// clicks) is what a model sees, row u of <see cref="HeldOut"/> (the rest) is what it is scored against.
/// </summary>
public sealed class HeldOutUsers
{
    public HeldOutUsers(ClickMatrix foldIn, ClickMatrix heldOut, IReadOnlyList<string> userIds)
    {
        if (foldIn.RowCount != heldOut.RowCount || foldIn.RowCount != userIds.Count)
            throw new ArgumentException("Fold-in, held-out and user ids must have the same number of rows.");
        if (foldIn.ColumnCount != heldOut.ColumnCount)
            throw new ArgumentException("Fold-in and held-out must have the same number of items.");
        FoldIn = foldIn;
        HeldOut = heldOut;
        UserIds = userIds;
    }

    /// <summary>The clicks a model may use to infer each user's representation.</summary>
    public ClickMatrix FoldIn { get; }

    /// <summary>The clicks a model is evaluated on.</summary>
    public ClickMatrix HeldOut { get; }

    /// <summary>External user id of each row.</summary>
    public IReadOnlyList<string> UserIds { get; }

    /// <summary>Number of users.</summary>
    public int UserCount => FoldIn.RowCount;
}
