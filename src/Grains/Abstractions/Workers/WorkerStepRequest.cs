namespace VaeCfCluster.Grains.Abstractions.Workers;

/// <summary>One worker's share of one global batch.</summary>
/// <param name="Generation">The job generation the worker must be prepared for.</param>
/// <param name="Step">Global update number (0-based).</param>
/// <param name="Epoch">1-based epoch (seeds dropout and noise).</param>
/// <param name="Beta">KL weight of this update.</param>
/// <param name="GlobalBatchUsers">Users in the whole global batch (the loss is divided by it).</param>
/// <param name="ShardVersions">Parameter version each shard must be at.</param>
/// <param name="Users">Training rows (global user numbers) of this worker's slice, in batch order.</param>
/// <param name="ShardSilos">The silo of each shard: parts for shards on other silos are pushed to them.</param>
/// <param name="RecVae">A RecVAE job's pass (then <paramref name="Epoch"/> and <paramref name="Beta"/> are not used).</param>
[GenerateSerializer, Immutable, Alias("vaecf.WorkerStepRequest")]
public sealed record WorkerStepRequest(
    [property: Id(0)] int Generation,
    [property: Id(1)] long Step,
    [property: Id(2)] int Epoch,
    [property: Id(3)] double Beta,
    [property: Id(4)] int GlobalBatchUsers,
    [property: Id(5)] long[] ShardVersions,
    [property: Id(6)] int[] Users,
    [property: Id(7)] string[] ShardSilos,
    [property: Id(8)] RecVaePassSettings? RecVae = null);
