namespace VaeCfCluster.Model.Training;

/// <summary>Adam hyperparameters (Kingma and Ba 2015). Defaults are the paper's (lr 1e-3) and Adam's own.</summary>
public sealed record AdamOptions
{
    /// <summary>Step size. Default 1e-3 (Section 4.3). Too large diverges or oscillates; too small crawls.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decay of the first-moment average. Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the second-moment average. Default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the bias-corrected root second moment. Default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>
    /// Updates over which the step size falls along a half cosine from <see cref="LearningRate"/> towards zero (SGDR's
    /// annealing without restarts, Loshchilov and Hutter 2017); later updates keep the last value. 0 (the default)
    /// keeps the step size constant, as the paper does.
    /// </summary>
    public long CosineDecaySteps { get; init; }

    /// <summary>
    /// The step size of update <paramref name="step"/> (1 for the first): lr · ½(1 + cos(π · min(t − 1, T) / T)) with T
    /// = <see cref="CosineDecaySteps"/>, or lr when T is 0. The first update takes the whole lr.
    /// </summary>
    public double LearningRateAt(long step) =>
        CosineDecaySteps <= 0
            ? LearningRate
            : LearningRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(Math.Max(step - 1, 0), CosineDecaySteps) / CosineDecaySteps));

    /// <summary>Throws naming the setting when a value is out of range.</summary>
    public void Validate()
    {
        if (CosineDecaySteps < 0) throw new ArgumentException($"{nameof(CosineDecaySteps)} must be 0 (constant) or positive (was {CosineDecaySteps}).");
        if (!(LearningRate > 0)) throw new ArgumentException($"{nameof(LearningRate)} must be positive (was {LearningRate}).");
        if (Beta1 is < 0 or >= 1) throw new ArgumentException($"{nameof(Beta1)} must be in [0, 1) (was {Beta1}).");
        if (Beta2 is < 0 or >= 1) throw new ArgumentException($"{nameof(Beta2)} must be in [0, 1) (was {Beta2}).");
        if (!(Epsilon > 0)) throw new ArgumentException($"{nameof(Epsilon)} must be positive (was {Epsilon}).");
    }
}
