using System.Text.Json.Serialization;

namespace VaeCfCluster.Model.Training;

/// <summary>Settings of the β schedule. Defaults follow the paper's reference code (cap 0.2, 200,000 updates).</summary>
public sealed record BetaScheduleOptions
{
    /// <summary>Schedule kind. Default: linear annealing with a cap.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<BetaMode>))]
    public BetaMode Mode { get; init; } = BetaMode.Anneal;

    /// <summary>
    /// Largest β reached by annealing. Default 0.2 (the reference code's anneal_cap). Near 1 the model gives up
    /// fit for a prior that hurts ranking (Figure 1); 0 removes the KL term and overfits like an autoencoder.
    /// </summary>
    public double Cap { get; init; } = 0.2;

    /// <summary>
    /// Gradient updates over which β rises linearly from 0 to 1. Default 200,000 (Section 4.3). Fewer updates
    /// raise β quickly; on small data sets with few updates per epoch, lower it so β reaches the cap.
    /// </summary>
    public long TotalAnnealSteps { get; init; } = 200_000;

    /// <summary>β in <see cref="BetaMode.Constant"/> mode. Default 0.2.</summary>
    public double Constant { get; init; } = 0.2;

    /// <summary>Epochs without a better validation NDCG@100 before Auto mode freezes β. Default 5.</summary>
    public int AutoPatienceEpochs { get; init; } = 5;

    /// <summary>Throws naming the setting when a value is out of range.</summary>
    public void Validate()
    {
        if (Cap is < 0 or > 1) throw new ArgumentException($"Beta {nameof(Cap)} must be in [0, 1] (was {Cap}).");
        if (TotalAnnealSteps < 1) throw new ArgumentException($"Beta {nameof(TotalAnnealSteps)} must be at least 1 (was {TotalAnnealSteps}).");
        if (Constant < 0) throw new ArgumentException($"Beta {nameof(Constant)} must be non-negative (was {Constant}).");
        if (AutoPatienceEpochs < 1) throw new ArgumentException($"Beta {nameof(AutoPatienceEpochs)} must be at least 1 (was {AutoPatienceEpochs}).");
    }
}
