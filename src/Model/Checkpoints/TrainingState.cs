using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Checkpoints;

/// <summary>Everything besides tensors that a resumed run needs to continue exactly where it stopped.</summary>
public sealed record TrainingState
{
    /// <summary>Epochs finished.</summary>
    public int CompletedEpochs { get; init; }

    /// <summary>Gradient updates applied (also Adam's t).</summary>
    public long Step { get; init; }

    /// <summary>Best validation NDCG@100 so far.</summary>
    public double BestValidationNdcg100 { get; init; } = -1.0;

    /// <summary>Epoch that produced the best model (0 before the first validation).</summary>
    public int BestEpoch { get; init; }

    /// <summary>Auto β: frozen value, if chosen.</summary>
    public double? FrozenBeta { get; init; }

    /// <summary>Auto β: best metric seen.</summary>
    public double BetaBestMetric { get; init; } = -1.0;

    /// <summary>Auto β: β at the best epoch.</summary>
    public double BetaAtBest { get; init; }

    /// <summary>Auto β: epochs since the best.</summary>
    public int BetaEpochsSinceBest { get; init; }

    /// <summary>Per-epoch log so far.</summary>
    public List<EpochRecord> History { get; init; } = [];
}
