namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// How a job trains, as it crosses the grain boundary: the run-defining part of the model library's
/// <c>TrainerOptions</c> (epochs, batch, seed, Adam, β schedule, evaluation batch), same names and defaults. Where
/// files go and how many threads a silo uses are the silo's business, not the job's.
/// </summary>
[GenerateSerializer, Immutable, Alias("vaecf.TrainingSettings")]
public sealed record TrainingSettings
{
    /// <summary>Passes over the training users.</summary>
    [Id(0)] public int Epochs { get; init; } = 100;

    /// <summary>Users per global batch (one update each).</summary>
    [Id(1)] public int BatchSize { get; init; } = 500;

    /// <summary>Seed of the initial weights, the user order, dropout masks and latent noise.</summary>
    [Id(2)] public long Seed { get; init; } = 98765;

    /// <summary>Adam step size.</summary>
    [Id(3)] public double LearningRate { get; init; } = 1e-3;

    /// <summary>Adam first-moment decay.</summary>
    [Id(4)] public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam second-moment decay.</summary>
    [Id(5)] public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam epsilon.</summary>
    [Id(6)] public double Epsilon { get; init; } = 1e-8;

    /// <summary>How β (the KL weight) moves: annealed, constant or automatic.</summary>
    [Id(7)] public KlWeightMode BetaMode { get; init; } = KlWeightMode.Anneal;

    /// <summary>Largest β of the anneal.</summary>
    [Id(8)] public double BetaCap { get; init; } = 0.2;

    /// <summary>Updates over which β grows linearly from 0 to 1 (then capped).</summary>
    [Id(9)] public long TotalAnnealSteps { get; init; } = 200_000;

    /// <summary>β of the constant mode.</summary>
    [Id(10)] public double BetaConstant { get; init; } = 0.2;

    /// <summary>Automatic mode: epochs without a better validation NDCG@100 before β freezes at the best epoch's.</summary>
    [Id(11)] public int AutoPatienceEpochs { get; init; } = 5;

    /// <summary>Held-out users scored per evaluation batch.</summary>
    [Id(12)] public int EvaluationBatchSize { get; init; } = 1000;

    /// <summary>How the network's dense matrix products compute (fp32, tf32 or bf16).</summary>
    [Id(13)] public ProductPrecision Precision { get; init; } = ProductPrecision.Fp32;

    /// <summary>Updates over which Adam's step size decays along a half cosine; 0 keeps it constant.</summary>
    [Id(14)] public long CosineDecaySteps { get; init; }

    /// <summary>Early stopping: epochs without a better validation NDCG@100 before the run ends; 0 runs every epoch.</summary>
    [Id(15)] public int Patience { get; init; }
}
