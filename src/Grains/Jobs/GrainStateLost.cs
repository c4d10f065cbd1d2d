namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// The refusal of a job's grain (parameter server or shard, worker, evaluator) that holds no state for the job's
/// generation: its silo died and the grain came back elsewhere, empty, or it was deactivated. The state lives nowhere
/// else, so <see cref="SiloLoss"/> treats it like an unreachable silo and the run restarts from the checkpoint. It
/// crosses silos as an <see cref="InvalidOperationException"/> whose message carries <see cref="Marker"/>.
/// </summary>
internal static class GrainStateLost
{
    /// <summary>The words every such refusal contains.</summary>
    public const string Marker = "holds no state for job generation";

    /// <summary>The refusal of <paramref name="grain"/> for <paramref name="generation"/>.</summary>
    public static InvalidOperationException Create(string grain, int generation) =>
        new($"{grain} {Marker} {generation} (its silo restarted or it moved); the job restarts from its checkpoint.");

    /// <summary>True when <paramref name="e"/> is such a refusal.</summary>
    public static bool Is(Exception e) => e is InvalidOperationException && e.Message.Contains(Marker, StringComparison.Ordinal);
}
