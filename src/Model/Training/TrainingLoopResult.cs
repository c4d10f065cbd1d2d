using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// The end of a <see cref="TrainingLoop"/> run: its state, the best model's test metrics (null when stopped before testing),
/// β chosen, whether it ran to its end (not cancelled), whether early stopping (<see cref="TrainerOptions.Patience"/>) ended it,
/// and the time earlier attempts spent in the epochs it resumed from (<see cref="EarlierAttempts"/>; zero for a fresh run).
/// </summary>
public sealed record TrainingLoopResult(TrainingState State, EvaluationResult? Test, double ChosenBeta, bool Completed, bool StoppedEarly = false,
    TimeSpan TimeBeforeResume = default);
