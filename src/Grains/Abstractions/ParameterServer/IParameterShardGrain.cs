namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>
/// One shard of the parameter server (key "jobId/index"): a contiguous range of the flat parameter vector whose Adam
/// state lives on the device of the silo it is placed on, beside that silo's replica of the model, whose parameters
/// it updates in place. For a step it takes its silo's gradient by reference and the parts other silos' workers pushed
/// (row-sparse, output layer first), adds weight decay, applies Adam and bumps its version; other silos then read
/// the new values.
/// </summary>
public interface IParameterShardGrain : IGrainWithStringKey
{
    /// <summary>Creates the shard's state (zero moments; parameters as the silo's replica holds them) and returns its silo.</summary>
    Task<string> InitializeAsync(ShardSetup setup);

    /// <summary>Overwrites part of the parameters or moments; returns the shard's version after the write.</summary>
    Task<long> WriteStateAsync(ShardStateChunk chunk);

    /// <summary>Reads part of the parameters or moments, with the current version; as bfloat16 when <paramref name="bf16"/>.</summary>
    Task<ShardStateChunk> ReadStateAsync(int generation, ShardStateKind kind, long offset, int count, bool bf16 = false);

    /// <summary>Keeps one gradient part a worker on another silo pushed for a step.</summary>
    Task PushGradientAsync(GradientChunk chunk);

    /// <summary>
    /// Sums the step's gradient (this silo's by reference, then the pushed parts in worker and part order), applies
    /// weight decay and Adam; refuses when a worker of <paramref name="sources"/> on another silo pushed fewer parts.
    /// </summary>
    Task<ShardApplyResult> ApplyAsync(int generation, long step, GradientSource[] sources);
}
