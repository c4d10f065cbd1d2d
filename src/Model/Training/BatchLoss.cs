namespace VaeCfCluster.Model.Training;

/// <summary>
/// Loss terms of one (part of a) batch, summed over its users, so parts computed on different workers add up.
/// </summary>
public readonly record struct BatchLoss(double NegativeLogLikelihoodSum, double KlDivergenceSum, int UserCount)
{
    /// <summary>Adds the terms of two parts of the same batch.</summary>
    public static BatchLoss operator +(BatchLoss a, BatchLoss b) =>
        new(a.NegativeLogLikelihoodSum + b.NegativeLogLikelihoodSum, a.KlDivergenceSum + b.KlDivergenceSum, a.UserCount + b.UserCount);

    /// <summary>The batch objective without weight decay: (Σ −log p + β Σ KL) / users.</summary>
    public double Loss(double beta) => UserCount == 0 ? 0 : (NegativeLogLikelihoodSum + beta * KlDivergenceSum) / UserCount;
}
