using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Experiments;

/// <summary>The data an experiment runs on.</summary>
/// <param name="DataName">Short name of the data set, such as "ml-1m".</param>
/// <param name="Split">The strong-generalization split every study but Table 3 uses.</param>
/// <param name="Clicks">The preprocessed clicks the split was made from (Table 1's statistics); null when a prepared split was given.</param>
/// <param name="LeaveOneOutData">
/// Table 3's data: NCF counts every rating as an interaction, so this is the data set read without the rating
/// threshold. Null when the data cannot be re-read (a prepared split), which skips Table 3.
/// </param>
/// <param name="SplitSeed">Seed of the split's user shuffle and fold-in sampling; Table 3 draws its held-out items and negatives from it.</param>
public sealed record ExperimentInputs(string DataName, DataSplit Split, ClickDataSet? Clicks, Func<ClickDataSet>? LeaveOneOutData, ulong SplitSeed);
