namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>
/// The parameter server of a job (key: job id). It owns the global step count and the shard versions workers must
/// read, and fans each update out to its shards, which apply Adam with the step's β-weighted gradient.
/// </summary>
public interface IParameterServerGrain : IGrainWithStringKey
{
    /// <summary>Sets the shard count, step and versions up (from a checkpoint when resuming).</summary>
    Task<StepTicket> ConfigureAsync(ParameterServerSetup setup);

    /// <summary>
    /// Applies the current step on shards [<paramref name="firstShard"/>, <paramref name="endShard"/>) from the silos in
    /// <paramref name="sources"/> (the others keep their values, moments and versions: RecVAE's frozen side); returns the
    /// next step's ticket.
    /// </summary>
    Task<StepTicket> ApplyAsync(int generation, GradientSource[] sources, int firstShard, int endShard);

    /// <summary>Records shard versions changed by direct state writes (restoring weights).</summary>
    Task SetShardVersionsAsync(long[] versions);
}
