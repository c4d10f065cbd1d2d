namespace VaeCfCluster.Model.Training;

/// <summary>
/// A step as <see cref="TrainingLoop"/> reports it: position in the run, the epoch's mean loss so far, β, the
/// outcome, users per second this epoch, the elapsed time (with the epochs earlier attempts kept, <see cref="EarlierAttempts"/>)
/// and the estimated time left (at this attempt's pace).
/// </summary>
public sealed record StepReport(int Epoch, int Batch, int Batches, long Step, double MeanLoss, double Beta, StepOutcome Outcome,
    double UsersPerSecond, TimeSpan Elapsed, TimeSpan? Remaining);
