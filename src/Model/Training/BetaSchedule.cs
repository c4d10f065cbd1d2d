namespace VaeCfCluster.Model.Training;

/// <summary>
/// β as a function of the global update count, plus the Auto mode's memory (best validation NDCG@100 so far,
/// β at that epoch, and the frozen β once chosen). State is plain data so checkpoints carry it.
/// </summary>
public sealed class BetaSchedule
{
    /// <summary>Creates a schedule with no history.</summary>
    public BetaSchedule(BetaScheduleOptions options)
    {
        options.Validate();
        Options = options;
    }

    /// <summary>The settings.</summary>
    public BetaScheduleOptions Options { get; }

    /// <summary>Auto mode: β frozen at the peak of validation NDCG@100, once chosen.</summary>
    public double? FrozenBeta { get; private set; }

    /// <summary>Auto mode: best validation metric seen so far.</summary>
    public double BestMetric { get; private set; } = -1.0;

    /// <summary>Auto mode: β at the end of the best epoch.</summary>
    public double BetaAtBest { get; private set; }

    /// <summary>Auto mode: epochs since the best one.</summary>
    public int EpochsSinceBest { get; private set; }

    /// <summary>β to use for the update that follows <paramref name="completedSteps"/> earlier updates.</summary>
    public double BetaAt(long completedSteps) => Options.Mode switch
    {
        BetaMode.Constant => Options.Constant,
        BetaMode.Anneal => Math.Min(Options.Cap, (double)completedSteps / Options.TotalAnnealSteps),
        BetaMode.Auto => FrozenBeta ?? Math.Min(1.0, (double)completedSteps / Options.TotalAnnealSteps),
        _ => throw new InvalidOperationException($"Unknown beta mode {Options.Mode}."),
    };

    /// <summary>
    /// Reports an epoch's validation metric, with β as it stood at the epoch's end; in Auto mode this may freeze β.
    /// Returns true when β was frozen by this call.
    /// </summary>
    public bool ObserveValidation(double metric, double betaAtEpochEnd)
    {
        if (Options.Mode != BetaMode.Auto || FrozenBeta is not null) return false;
        if (metric > BestMetric)
        {
            BestMetric = metric;
            BetaAtBest = betaAtEpochEnd;
            EpochsSinceBest = 0;
            return false;
        }
        if (++EpochsSinceBest < Options.AutoPatienceEpochs) return false;
        FrozenBeta = BetaAtBest;
        return true;
    }

    /// <summary>The β this run settled on: the frozen one in Auto mode, else the β the schedule has reached.</summary>
    public double ChosenBeta(long completedSteps) => FrozenBeta ?? BetaAt(completedSteps);

    /// <summary>Restores Auto mode's memory from a checkpoint.</summary>
    public void Restore(double? frozenBeta, double bestMetric, double betaAtBest, int epochsSinceBest)
    {
        FrozenBeta = frozenBeta;
        BestMetric = bestMetric;
        BetaAtBest = betaAtBest;
        EpochsSinceBest = epochsSinceBest;
    }
}
