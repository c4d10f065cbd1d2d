namespace VaeCfCluster.Model.Experiments;

/// <summary>Table 3: the leave-one-out data and every model's Recall@10 (= HR@10) and NDCG@10 against sampled negatives.</summary>
/// <param name="Users">Users kept (3 or more interactions).</param>
/// <param name="DroppedUsers">Users with fewer than 3 interactions.</param>
/// <param name="Items">Items.</param>
/// <param name="Interactions">Interactions, every rating counted as NCF does.</param>
/// <param name="Negatives">Sampled negatives per held-out item.</param>
/// <param name="Rows">One row per model.</param>
public sealed record LeaveOneOutStudyResult(int Users, int DroppedUsers, int Items, long Interactions, int Negatives, IReadOnlyList<ChosenRun> Rows);
