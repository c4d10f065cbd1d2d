namespace VaeCfCluster.Model.Experiments;

/// <summary>The data set after preprocessing, as the paper's Table 1 describes its data sets.</summary>
/// <param name="Name">Data set name.</param>
/// <param name="Users">Users after preprocessing.</param>
/// <param name="Items">Items after preprocessing (the split keeps only items clicked by training users).</param>
/// <param name="Interactions">Clicks after preprocessing.</param>
/// <param name="Density">Interactions / (users × items).</param>
/// <param name="TrainUsers">Training users.</param>
/// <param name="HeldOutUsers">Validation users (and as many test users).</param>
public sealed record DataStatistics(string Name, int Users, int Items, long Interactions, double Density, int TrainUsers, int HeldOutUsers);
