namespace VaeCfCluster.Model.Training;

/// <summary>
/// Progress of a training run, reported after every few batches and once more at every epoch's end, after
/// validation (<see cref="EpochCompleted"/>). <see cref="Beta"/> is the KL weight of the step for a model that anneals
/// one (Mult-VAE); null for a model without it (Mult-DAE, RecVAE, whose KL weight is per user).
/// </summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, long Step, double Loss, double? Beta,
    double? LastValidationNdcg100, double? BestValidationNdcg100, TimeSpan Elapsed, TimeSpan? Remaining, bool EpochCompleted);
