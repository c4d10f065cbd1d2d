using System.Text.Json.Serialization;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// Settings of <see cref="RecVaeTrainer"/>: RecVAE (Shenbin, Alekseev, Tutubalina, Malykh and Nikolenko, "RecVAE: a
/// New Variational Autoencoder for Top-N Recommendations with Implicit Feedback", WSDM 2020). Defaults are the
/// paper's and its reference code's. Each of RecVAE's four changes to Mult-VAE is its own switch, so the ablation can
/// be run: <see cref="Prior"/>, <see cref="Gamma"/> (user-specific β), <see cref="Alternating"/> and
/// <see cref="Encoder"/>.
/// </summary>
public sealed record RecVaeOptions
{
    /// <summary>Width of every encoder hidden layer. Default 600.</summary>
    public int Hidden { get; init; } = 600;

    /// <summary>Latent dimension K. Default 200.</summary>
    public int Latent { get; init; } = 200;

    /// <summary>
    /// Which encoder: <see cref="RecVaeEncoderKind.Dense"/> (RecVAE's five densely connected layers with swish and layer
    /// norm, default) or <see cref="RecVaeEncoderKind.MultVae"/> (one tanh layer, as Mult-VAE).
    /// </summary>
    public RecVaeEncoderKind Encoder { get; init; } = RecVaeEncoderKind.Dense;

    /// <summary>Layers of the dense encoder (before the μ, log σ² layer). Default 5.</summary>
    public int EncoderLayers { get; init; } = 5;

    /// <summary>ε of the encoder's layer norms. Default 0.1 (the reference code's).</summary>
    public double LayerNormEpsilon { get; init; } = 0.1;

    /// <summary>
    /// The prior of the KL term: <see cref="RecVaePriorKind.Composite"/> (default: a mixture of N(0, I), the posterior of
    /// the encoder as it was after the previous encoder phase, and a wide N(0, e¹⁰ I)) or <see cref="RecVaePriorKind.Standard"/>
    /// (N(0, I), as Mult-VAE).
    /// </summary>
    public RecVaePriorKind Prior { get; init; } = RecVaePriorKind.Composite;

    /// <summary>Weights of the composite prior's components (standard, previous posterior, wide). Default 3/20, 3/4, 1/10.</summary>
    public double[] MixtureWeights { get; init; } = [3.0 / 20, 3.0 / 4, 1.0 / 10];

    /// <summary>
    /// γ of the user-specific KL weight β_u = γ·|X_u| (|X_u| the user's number of clicks). Default 0.005 (the reference
    /// code's). 0 uses the constant <see cref="Beta"/> for every user instead. Larger γ pulls heavy users' codes towards
    /// the prior; too small lets the encoder memorise them.
    /// </summary>
    public double Gamma { get; init; } = 0.005;

    /// <summary>Constant KL weight, used only when <see cref="Gamma"/> is 0. Default 0.2 (Mult-VAE^PR's typical cap).</summary>
    public double Beta { get; init; } = 0.2;

    /// <summary>
    /// Alternate the updates (default): each epoch runs <see cref="EncoderEpochs"/> passes updating only the encoder on
    /// dropped-out input, then refreshes the prior's copy of the encoder, then <see cref="DecoderEpochs"/> passes updating
    /// only the decoder on the un-dropped input. False updates both every step on dropped-out input and refreshes the
    /// prior's copy at the end of each epoch.
    /// </summary>
    public bool Alternating { get; init; } = true;

    /// <summary>
    /// How the dense products compute (<see cref="MatmulPrecision"/>): the encoder's dense layers, its (μ, log σ²) layer
    /// and the decoder. The first layer (a gather-sum of clicked items' rows), the layer norms, the softmax and the KL
    /// stay float32, as do the weights and Adam. Default fp32; left out of the settings' JSON when fp32, so settings
    /// written before it read the same.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    [JsonConverter(typeof(JsonStringEnumConverter<MatmulPrecision>))]
    public MatmulPrecision Precision { get; init; } = MatmulPrecision.Fp32;

    /// <summary>Encoder passes per epoch when alternating. Default 3.</summary>
    public int EncoderEpochs { get; init; } = 3;

    /// <summary>Decoder passes per epoch when alternating. Default 1.</summary>
    public int DecoderEpochs { get; init; } = 1;

    /// <summary>Input dropout rate of the encoder passes. Default 0.5.</summary>
    public double DropoutRate { get; init; } = 0.5;

    /// <summary>Adam step size of both optimizers. Default 5e-4.</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>Users per step. Default 500.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Epochs; the epoch with the best validation NDCG@100 is kept. Default 50.</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>
    /// Stop when validation NDCG@100 has not improved for this many epochs; 0 (default) runs every epoch.
    /// </summary>
    public int Patience { get; init; }

    /// <summary>Seed of the initial weights, the user order, the dropout masks and the latent noise.</summary>
    public long Seed { get; init; } = 98765;

    /// <summary>Number of trained values of a network for <paramref name="itemCount"/> items (encoder and decoder, not the prior's copy).</summary>
    public double ParameterCount(int itemCount)
    {
        double h = Hidden, k = Latent;
        double layers = Encoder == RecVaeEncoderKind.Dense ? EncoderLayers : 1;
        double encoder = itemCount * h + h + (layers - 1) * (h * h + h) + (Encoder == RecVaeEncoderKind.Dense ? 2 * layers * h : 0) + h * 2 * k + 2 * k;
        return encoder + k * itemCount + itemCount;
    }

    /// <summary>Throws with the name of the setting to fix when a value is out of range.</summary>
    public void Validate()
    {
        if (Hidden < 1) throw new ArgumentException($"RecVAE {nameof(Hidden)} must be at least 1 (was {Hidden}).");
        if (Latent < 1) throw new ArgumentException($"RecVAE {nameof(Latent)} must be at least 1 (was {Latent}).");
        if (EncoderLayers < 1) throw new ArgumentException($"RecVAE {nameof(EncoderLayers)} must be at least 1 (was {EncoderLayers}).");
        if (!(LayerNormEpsilon > 0)) throw new ArgumentException($"RecVAE {nameof(LayerNormEpsilon)} must be positive (was {LayerNormEpsilon}).");
        if (MixtureWeights.Length != 3 || MixtureWeights.Any(w => !(w > 0)) || Math.Abs(MixtureWeights.Sum() - 1) > 1e-6)
            throw new ArgumentException($"RecVAE {nameof(MixtureWeights)} must be three positive weights summing to 1.");
        if (!(Gamma >= 0) || double.IsInfinity(Gamma)) throw new ArgumentException($"RecVAE {nameof(Gamma)} must be finite and non-negative (was {Gamma}).");
        if (!(Beta >= 0) || double.IsInfinity(Beta)) throw new ArgumentException($"RecVAE {nameof(Beta)} must be finite and non-negative (was {Beta}).");
        if (EncoderEpochs < 1 || DecoderEpochs < 1) throw new ArgumentException("RecVAE encoder and decoder passes per epoch must be at least 1.");
        if (!(DropoutRate >= 0 && DropoutRate < 1)) throw new ArgumentException($"RecVAE {nameof(DropoutRate)} must be in [0, 1) (was {DropoutRate}).");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"RecVAE {nameof(LearningRate)} must be positive (was {LearningRate}).");
        if (BatchSize < 1) throw new ArgumentException($"RecVAE {nameof(BatchSize)} must be at least 1 (was {BatchSize}).");
        if (Epochs < 1) throw new ArgumentException($"RecVAE {nameof(Epochs)} must be at least 1 (was {Epochs}).");
        if (Patience < 0) throw new ArgumentException($"RecVAE {nameof(Patience)} must be 0 or positive (was {Patience}).");
        if (!Enum.IsDefined(Precision)) throw new ArgumentException($"RecVAE {nameof(Precision)} must be {MatmulPrecisionNames.Choices} (was {Precision}).");
    }
}
