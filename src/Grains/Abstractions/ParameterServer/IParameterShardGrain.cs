namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>
/// One shard of the parameter server (key "jobId/index"): a contiguous range of the flat parameter vector with its
/// Adam moments. It collects the workers' gradient chunks for a step, sums them in worker order (so the sum does
/// not depend on arrival order), adds weight decay, applies Adam and bumps its version.
/// </summary>
public interface IParameterShardGrain : IGrainWithStringKey
{
    /// <summary>Creates the shard's state (zero parameters and moments) for a job generation.</summary>
    Task InitializeAsync(ShardSetup setup);

    /// <summary>Overwrites part of the parameters or moments; returns the shard's version after the write.</summary>
    Task<long> WriteStateAsync(ShardStateChunk chunk);

    /// <summary>Reads part of the parameters or moments, with the current version.</summary>
    Task<ShardStateChunk> ReadStateAsync(int generation, ShardStateKind kind, long offset, int count);

    /// <summary>Stores one gradient chunk of a worker for a step.</summary>
    Task PushGradientAsync(GradientChunk chunk);

    /// <summary>Sums the step's gradients, applies weight decay and Adam, and returns the new version.</summary>
    Task<ShardApplyResult> ApplyAsync(int generation, long step, int workers);
}
