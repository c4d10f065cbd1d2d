using VaeCfCluster.Grains.Abstractions.Jobs;

namespace VaeCfCluster.Grains.Abstractions.Workers;

/// <summary>What a worker or evaluator needs to build the job's network and find its parameters.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Generation">Increases each time the job (re)starts; stale work is refused.</param>
/// <param name="Model">The autoencoder to build.</param>
/// <param name="Seed">Seed of dropout masks and latent noise.</param>
/// <param name="ShardStarts">Offsets of each shard's range in the flat parameter vector, plus the total at the end.</param>
/// <param name="MaxChunkBytes">Largest payload per grain call.</param>
/// <param name="CompressGradients">Exchange gradient parts and parameter copies between silos as bfloat16.</param>
/// <param name="Precision">How the network's dense matrix products compute.</param>
/// <param name="RecVae">A RecVAE's settings (RecVaeOptions as JSON) when the job trains one; <paramref name="Model"/> then only gives the item count.</param>
[GenerateSerializer, Immutable, Alias("vaecf.WorkerSetup")]
public sealed record WorkerSetup(
    [property: Id(0)] string JobId,
    [property: Id(1)] int Generation,
    [property: Id(2)] ModelSettings Model,
    [property: Id(3)] long Seed,
    [property: Id(4)] long[] ShardStarts,
    [property: Id(5)] int MaxChunkBytes,
    [property: Id(6)] bool CompressGradients,
    [property: Id(7)] ProductPrecision Precision = ProductPrecision.Fp32,
    [property: Id(8)] string? RecVae = null);
