using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// What <see cref="RecVaeLoop.RunAsync"/> returns: the state after the last epoch, the best weights' test evaluation, the
/// seconds spent training (before the test; every attempt's kept epochs included), whether <see cref="RecVaeOptions.Patience"/>
/// ended the run before its last epoch, and the time earlier attempts spent in the epochs it resumed from.
/// </summary>
public sealed record RecVaeLoopResult(RecVaeLoopState State, EvaluationResult Test, double TrainingSeconds, bool StoppedEarly,
    TimeSpan TimeBeforeResume = default);
