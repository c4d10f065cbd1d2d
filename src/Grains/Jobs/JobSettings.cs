using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// Converts between the model library's settings (<see cref="AutoencoderConfig"/>, <see cref="TrainerOptions"/>) and
/// their wire forms (<see cref="ModelSettings"/>, <see cref="TrainingSettings"/>), field for field.
/// </summary>
public static class JobSettings
{
    /// <summary>The wire form of a model configuration.</summary>
    public static ModelSettings ToSettings(this AutoencoderConfig c) => new()
    {
        Kind = c.Kind switch { ModelKind.Vae => AutoencoderKind.Vae, ModelKind.Dae => AutoencoderKind.Dae, _ => throw Unknown(c.Kind) },
        Likelihood = c.Likelihood switch
        {
            Likelihood.Multinomial => ReconstructionLikelihood.Multinomial,
            Likelihood.Gaussian => ReconstructionLikelihood.Gaussian,
            Likelihood.Logistic => ReconstructionLikelihood.Logistic,
            _ => throw Unknown(c.Likelihood),
        },
        ItemCount = c.ItemCount, HiddenDims = [.. c.HiddenDims], LatentDim = c.LatentDim, DropoutRate = c.DropoutRate,
        WeightDecay = c.WeightDecay, GaussianClickConfidence = c.GaussianClickConfidence, GaussianUnclickedConfidence = c.GaussianUnclickedConfidence,
        KeptClickWeight = c.KeptClickWeight, ItemNeighbours = c.ItemNeighbours, NeighbourWeightDecay = c.NeighbourWeightDecay,
        CodeActivation = c.CodeActivation switch
        {
            CodeActivation.Tanh => DaeCodeActivation.Tanh,
            CodeActivation.Linear => DaeCodeActivation.Linear,
            _ => throw Unknown(c.CodeActivation),
        },
    };

    /// <summary>The model configuration a wire form describes (not yet validated).</summary>
    public static AutoencoderConfig ToConfig(this ModelSettings s) => new()
    {
        Kind = s.Kind switch { AutoencoderKind.Vae => ModelKind.Vae, AutoencoderKind.Dae => ModelKind.Dae, _ => throw Unknown(s.Kind) },
        Likelihood = s.Likelihood switch
        {
            ReconstructionLikelihood.Multinomial => Likelihood.Multinomial,
            ReconstructionLikelihood.Gaussian => Likelihood.Gaussian,
            ReconstructionLikelihood.Logistic => Likelihood.Logistic,
            _ => throw Unknown(s.Likelihood),
        },
        ItemCount = s.ItemCount, HiddenDims = [.. s.HiddenDims ?? []], LatentDim = s.LatentDim, DropoutRate = s.DropoutRate,
        WeightDecay = s.WeightDecay, GaussianClickConfidence = s.GaussianClickConfidence, GaussianUnclickedConfidence = s.GaussianUnclickedConfidence,
        KeptClickWeight = s.KeptClickWeight, ItemNeighbours = s.ItemNeighbours, NeighbourWeightDecay = s.NeighbourWeightDecay,
        CodeActivation = s.CodeActivation switch
        {
            DaeCodeActivation.Tanh => CodeActivation.Tanh,
            DaeCodeActivation.Linear => CodeActivation.Linear,
            _ => throw Unknown(s.CodeActivation),
        },
    };

    /// <summary>The wire form of the run-defining trainer settings.</summary>
    public static TrainingSettings ToSettings(this TrainerOptions o) => new()
    {
        Epochs = o.Epochs, Patience = o.Patience, BatchSize = o.BatchSize, Seed = o.Seed,
        LearningRate = o.Adam.LearningRate, Beta1 = o.Adam.Beta1, Beta2 = o.Adam.Beta2, Epsilon = o.Adam.Epsilon, CosineDecaySteps = o.Adam.CosineDecaySteps,
        BetaMode = o.Beta.Mode switch
        {
            BetaMode.Anneal => KlWeightMode.Anneal, BetaMode.Constant => KlWeightMode.Constant, BetaMode.Auto => KlWeightMode.Auto,
            _ => throw Unknown(o.Beta.Mode),
        },
        BetaCap = o.Beta.Cap, TotalAnnealSteps = o.Beta.TotalAnnealSteps, BetaConstant = o.Beta.Constant,
        AutoPatienceEpochs = o.Beta.AutoPatienceEpochs, EvaluationBatchSize = o.EvaluationBatchSize, Precision = o.Precision.ToSettings(),
    };

    /// <summary>The wire form of Adam's settings, as parameter shards and item shards receive them.</summary>
    public static AdamSettings ToSettings(this AdamOptions a) => new(a.LearningRate, a.Beta1, a.Beta2, a.Epsilon, a.CosineDecaySteps);

    /// <summary>Adam's settings from their wire form.</summary>
    public static AdamOptions ToOptions(this AdamSettings a) => new()
    {
        LearningRate = a.LearningRate, Beta1 = a.Beta1, Beta2 = a.Beta2, Epsilon = a.Epsilon, CosineDecaySteps = a.CosineDecaySteps,
    };

    /// <summary>The wire form of a product precision.</summary>
    public static ProductPrecision ToSettings(this MatmulPrecision p) => p switch
    {
        MatmulPrecision.Fp32 => ProductPrecision.Fp32, MatmulPrecision.Tf32 => ProductPrecision.Tf32, MatmulPrecision.Bf16 => ProductPrecision.Bf16,
        _ => throw Unknown(p),
    };

    /// <summary>The product precision a wire form names.</summary>
    public static MatmulPrecision ToPrecision(this ProductPrecision p) => p switch
    {
        ProductPrecision.Fp32 => MatmulPrecision.Fp32, ProductPrecision.Tf32 => MatmulPrecision.Tf32, ProductPrecision.Bf16 => MatmulPrecision.Bf16,
        _ => throw Unknown(p),
    };

    /// <summary>Trainer settings from the wire form (not yet validated; no checkpoint or log paths).</summary>
    public static TrainerOptions ToOptions(this TrainingSettings s) => new()
    {
        Epochs = s.Epochs, Patience = s.Patience, BatchSize = s.BatchSize, Seed = s.Seed,
        Adam = new AdamOptions { LearningRate = s.LearningRate, Beta1 = s.Beta1, Beta2 = s.Beta2, Epsilon = s.Epsilon, CosineDecaySteps = s.CosineDecaySteps },
        Beta = new BetaScheduleOptions
        {
            Mode = s.BetaMode switch
            {
                KlWeightMode.Anneal => BetaMode.Anneal, KlWeightMode.Constant => BetaMode.Constant, KlWeightMode.Auto => BetaMode.Auto,
                _ => throw Unknown(s.BetaMode),
            },
            Cap = s.BetaCap, TotalAnnealSteps = s.TotalAnnealSteps, Constant = s.BetaConstant, AutoPatienceEpochs = s.AutoPatienceEpochs,
        },
        EvaluationBatchSize = s.EvaluationBatchSize, Precision = s.Precision.ToPrecision(),
    };

    /// <summary>Starts the job with the model library's settings.</summary>
    public static Task<TrainingJobStatus> StartAsync(this TrainingJobClient client, byte[] data, string dataName, AutoencoderConfig config,
        TrainerOptions options, ClusterSettings cluster, bool fresh, CancellationToken cancellationToken = default) =>
        client.StartAsync(data, dataName, config.ToSettings(), options.ToSettings(), cluster, fresh, cancellationToken);

    /// <summary>
    /// Starts a RecVAE job of <paramref name="options"/> on data of <paramref name="itemCount"/> items (its epochs, batch
    /// size, seed and patience are also shown as the job's training settings).
    /// </summary>
    public static Task<TrainingJobStatus> StartRecVaeAsync(this TrainingJobClient client, byte[] data, string dataName, int itemCount,
        RecVaeOptions options, ClusterSettings cluster, bool fresh, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var training = new TrainingSettings { Epochs = options.Epochs, BatchSize = options.BatchSize, Seed = options.Seed, Patience = options.Patience };
        return client.StartAsync(data, dataName, new ModelSettings { ItemCount = itemCount }, training, cluster, fresh, cancellationToken,
            RecVaeSettings.ToJson(options));
    }

    /// <summary>Whether two settings describe the same run (arrays compared by value).</summary>
    public static bool SameAs(this ModelSettings a, ModelSettings b) =>
        System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b);

    private static ArgumentException Unknown<T>(T value) => new($"Unknown setting value {value} of {typeof(T).Name}.");
}
