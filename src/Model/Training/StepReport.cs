namespace VaeCfCluster.Model.Training;

/// <summary>
/// A step as <see cref="TrainingLoop"/> reports it: position in the run, the epoch's mean loss so far, β, the
/// outcome, users per second this epoch, and elapsed and estimated remaining time of this run.
/// </summary>
public sealed record StepReport(int Epoch, int Batch, int Batches, long Step, double MeanLoss, double Beta, StepOutcome Outcome,
    double UsersPerSecond, TimeSpan Elapsed, TimeSpan? Remaining);
