using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// What <see cref="RecVaeLoop.RunAsync"/> returns: the state after the last epoch, the best weights' test evaluation, the
/// seconds spent training (before the test), and whether <see cref="RecVaeOptions.Patience"/> ended the run before its last epoch.
/// </summary>
public sealed record RecVaeLoopResult(RecVaeLoopState State, EvaluationResult Test, double TrainingSeconds, bool StoppedEarly);
