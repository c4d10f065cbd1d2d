using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Evaluation.LeaveOneOut;

/// <summary>
/// A leave-one-out split (He et al. 2017, Section 4.1; Liang et al. 2018, Section 4.5, Table 3) made by
/// <see cref="LeaveOneOutSplitter"/>. Every kept user trains on all clicks but two (weak generalization: the same
/// users are trained on and evaluated); one of the two is the validation item, the other the test item.
/// </summary>
/// <remarks>
/// <see cref="Split"/> has the shape of a strong-generalization split, so the existing trainer runs on it unchanged:
/// it trains on <see cref="DataSplit.Train"/>, selects the epoch by NDCG@100 of the validation item over the full
/// catalogue (fold-in = training clicks), and <see cref="SampledRankingEvaluator"/> then ranks each test item among
/// <see cref="TestNegatives"/> (fold-in = training clicks plus the validation item).
/// </remarks>
public sealed class LeaveOneOutSplit
{
    private readonly int[] _sourceUsers;
    private readonly int[] _validationUsers;

    internal LeaveOneOutSplit(DataSplit split, SampledNegatives testNegatives, int[] sourceUsers, int[] validationUsers,
        int droppedUserCount, LeaveOneOutOptions options)
    {
        if (testNegatives.UserCount != split.Test.UserCount || sourceUsers.Length != split.Test.UserCount
            || validationUsers.Length != split.Validation.UserCount)
            throw new ArgumentException("The test negatives, source users and validation users must match the split's rows.");
        Split = split;
        TestNegatives = testNegatives;
        _sourceUsers = sourceUsers;
        _validationUsers = validationUsers;
        DroppedUserCount = droppedUserCount;
        Options = options;
    }

    /// <summary>
    /// The split in the trainer's form. Rows of <see cref="DataSplit.Train"/> and <see cref="DataSplit.Test"/> are the
    /// kept users in data-set order; <see cref="DataSplit.Validation"/> rows are the users of
    /// <see cref="ValidationUsers"/>. The item index is the data set's, unchanged (items no kept user clicked included).
    /// Each held-out row holds exactly one item.
    /// </summary>
    public DataSplit Split { get; }

    /// <summary>Row u: the sampled negatives of test user u (row u of <see cref="DataSplit.Test"/>).</summary>
    public SampledNegatives TestNegatives { get; }

    /// <summary>The options the split was made with.</summary>
    public LeaveOneOutOptions Options { get; }

    /// <summary>Users with at least <see cref="LeaveOneOutSplitter.MinClicks"/> clicks: the rows of train and test.</summary>
    public int KeptUserCount => _sourceUsers.Length;

    /// <summary>Users dropped for having fewer than <see cref="LeaveOneOutSplitter.MinClicks"/> clicks.</summary>
    public int DroppedUserCount { get; }

    /// <summary>Row in the source <see cref="ClickDataSet"/> of each kept user (train and test row order).</summary>
    public IReadOnlyList<int> SourceUsers => _sourceUsers;

    /// <summary>Kept-user row (train/test row) of each validation row, ascending.</summary>
    public IReadOnlyList<int> ValidationUsers => _validationUsers;

    /// <summary>The test item of kept user <paramref name="user"/>.</summary>
    public int TestItem(int user) => Split.Test.HeldOut.Row(user)[0];
}
