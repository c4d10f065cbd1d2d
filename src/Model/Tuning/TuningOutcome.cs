namespace VaeCfCluster.Model.Tuning;

/// <summary>
/// What a finished <see cref="TuningRun"/> measured: validation NDCG@100 of its chosen epoch (or setting), the test
/// metrics (mean and standard error over test users), every test user's NDCG@100 (in the split's test-user order, for
/// paired tests), and the seconds it took to train.
/// </summary>
public sealed record TuningOutcome(
    string Id,
    string Model,
    Dictionary<string, double> Settings,
    ulong SplitSeed,
    double ValidationNdcg100,
    int BestEpoch,
    Dictionary<string, MetricValue> Test,
    double[] TestNdcg100PerUser,
    double TrainSeconds);

/// <summary>A metric's mean and standard error over users.</summary>
public sealed record MetricValue(double Mean, double StandardError);
