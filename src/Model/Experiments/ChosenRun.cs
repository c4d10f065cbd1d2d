namespace VaeCfCluster.Model.Experiments;

/// <summary>A table row: the run chosen for a model by validation NDCG@100, and every candidate it was chosen from.</summary>
/// <param name="Model">Display name, such as "Mult-DAE" or "WMF".</param>
/// <param name="Run">The chosen run; its test metrics fill the row.</param>
/// <param name="Candidates">Every run searched for this row (the chosen one included).</param>
public sealed record ChosenRun(string Model, RunOutcome Run, IReadOnlyList<RunOutcome> Candidates);
