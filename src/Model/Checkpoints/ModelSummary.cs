namespace VaeCfCluster.Model.Checkpoints;

/// <summary>How a saved model was trained: what a user wants to know before trusting it.</summary>
public sealed record ModelSummary(int Epochs, int BestEpoch, double BestValidationNdcg100, double Beta, long Seed, DateTimeOffset SavedAt);
