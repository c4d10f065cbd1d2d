namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>
/// The parameter server of a job (key: job id). It owns the global step count and the β schedule computed from it
/// (annealing, cap, or automatic β frozen at the validation peak), and fans each update out to its shards.
/// </summary>
public interface IParameterServerGrain : IGrainWithStringKey
{
    /// <summary>Sets the shards and β schedule up; <paramref name="setup"/> carries the state to resume from.</summary>
    Task<StepTicket> ConfigureAsync(ParameterServerSetup setup);

    /// <summary>Applies the current step on every shard and returns the ticket of the next step.</summary>
    Task<StepTicket> ApplyAsync(int generation, int workers);

    /// <summary>Reports an epoch's validation NDCG@100 (automatic β may freeze); returns the β state after it.</summary>
    Task<BetaState> ObserveValidationAsync(double ndcg100, double betaAtEpochEnd);

    /// <summary>Records shard versions changed by direct state writes (restoring weights).</summary>
    Task SetShardVersionsAsync(long[] versions);
}
