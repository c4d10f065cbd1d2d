using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Training;

/// <summary>The end of a <see cref="TrainingLoop"/> run: its state, the best model's test metrics (null when stopped before testing), β chosen.</summary>
public sealed record TrainingLoopResult(TrainingState State, EvaluationResult? Test, double ChosenBeta, bool Completed);
