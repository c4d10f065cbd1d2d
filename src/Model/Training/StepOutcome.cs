namespace VaeCfCluster.Model.Training;

/// <summary>
/// What one update gave and cost: its loss terms, the bytes it moved between processes (0 in one process), and where
/// the time went in milliseconds (fetching parameters, computing gradients, exchanging them, applying Adam).
/// </summary>
public sealed record StepOutcome(BatchLoss Loss, long Bytes = 0, double FetchMilliseconds = 0, double ComputeMilliseconds = 0,
    double ExchangeMilliseconds = 0, double ApplyMilliseconds = 0);
