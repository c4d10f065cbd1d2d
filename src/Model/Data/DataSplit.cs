namespace VaeCfCluster.Model.Data;

/// <summary>
/// A strong-generalization split (Liang et al. 2018, Section 4.3): training users with their full histories,
/// and disjoint validation and test users whose clicks are divided into fold-in and held-out parts.
/// All matrices share one dense item index whose external ids are <see cref="ItemIds"/> (the reference code's
/// <c>unique_sid.txt</c>): only items clicked by some training user are kept.
/// </summary>
public sealed class DataSplit
{
    public DataSplit(IReadOnlyList<string> itemIds, ClickMatrix train, IReadOnlyList<string> trainUserIds,
        HeldOutUsers validation, HeldOutUsers test)
    {
        int items = itemIds.Count;
        if (train.ColumnCount != items || validation.FoldIn.ColumnCount != items || test.FoldIn.ColumnCount != items)
            throw new ArgumentException("Every part of a split must use the same item index.");
        if (train.RowCount != trainUserIds.Count)
            throw new ArgumentException("Training matrix rows and training user ids differ in number.");
        ItemIds = itemIds;
        Train = train;
        TrainUserIds = trainUserIds;
        Validation = validation;
        Test = test;
    }

    /// <summary>External item id of each column.</summary>
    public IReadOnlyList<string> ItemIds { get; }

    /// <summary>Number of items (columns).</summary>
    public int ItemCount => ItemIds.Count;

    /// <summary>Full click histories of the training users.</summary>
    public ClickMatrix Train { get; }

    /// <summary>External user id of each training row.</summary>
    public IReadOnlyList<string> TrainUserIds { get; }

    /// <summary>Users for model selection (validation NDCG@100).</summary>
    public HeldOutUsers Validation { get; }

    /// <summary>Users for the reported metrics.</summary>
    public HeldOutUsers Test { get; }
}
