namespace VaeCfCluster.Model.Training;

/// <summary>Progress of a training run, reported after every few batches and at every epoch's end.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, long Step, double Loss, double Beta,
    double? LastValidationNdcg100, double? BestValidationNdcg100, TimeSpan Elapsed, TimeSpan? Remaining);
