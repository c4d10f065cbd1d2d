namespace VaeCfCluster.Model.Training;

/// <summary>One line of the training log: what an epoch did and how the model stood after it.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Step">Gradient updates applied since the start of training.</param>
/// <param name="Loss">Mean batch objective (without weight decay) over the epoch.</param>
/// <param name="NegativeLogLikelihood">Mean −log p(x_u | z_u) per user.</param>
/// <param name="KlDivergence">Mean KL per user (0 for the DAE).</param>
/// <param name="Beta">β used by the epoch's last update.</param>
/// <param name="ValidationNdcg100">Validation NDCG@100 after the epoch.</param>
/// <param name="Seconds">Wall time of the epoch's training part.</param>
/// <param name="ValidationSeconds">Wall time of the validation.</param>
/// <param name="UsersPerSecond">Training users processed per second.</param>
public sealed record EpochRecord(int Epoch, long Step, double Loss, double NegativeLogLikelihood, double KlDivergence,
    double Beta, double ValidationNdcg100, double Seconds, double ValidationSeconds, double UsersPerSecond);
