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

    /// <summary>Throws naming the setting when a value is out of range.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0)) throw new ArgumentException($"{nameof(LearningRate)} must be positive (was {LearningRate}).");
        if (Beta1 is < 0 or >= 1) throw new ArgumentException($"{nameof(Beta1)} must be in [0, 1) (was {Beta1}).");
        if (Beta2 is < 0 or >= 1) throw new ArgumentException($"{nameof(Beta2)} must be in [0, 1) (was {Beta2}).");
        if (!(Epsilon > 0)) throw new ArgumentException($"{nameof(Epsilon)} must be positive (was {Epsilon}).");
    }
}
