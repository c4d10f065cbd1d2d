using System.Text.Json.Serialization;

namespace VaeCfCluster.Model.Networks;

/// <summary>
/// Architecture and loss of a Mult-VAE / Mult-DAE (Liang et al. 2018, Section 4.3). The encoder maps the
/// L2-normalised, dropped-out click vector through <see cref="HiddenDims"/> to the latent layer; the decoder
/// mirrors it back to <see cref="ItemCount"/> outputs. With one hidden layer the VAE is [I → 600 → 200 → 600 → I].
/// Defaults are the paper's and its reference code's.
/// </summary>
public sealed record AutoencoderConfig
{
    /// <summary>VAE or DAE. Default: VAE.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ModelKind>))]
    public ModelKind Kind { get; init; } = ModelKind.Vae;

    /// <summary>Likelihood of the decoder output. Default: multinomial (the paper's best).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<Likelihood>))]
    public Likelihood Likelihood { get; init; } = Likelihood.Multinomial;

    /// <summary>Number of items I (input and output width). Required.</summary>
    public int ItemCount { get; init; }

    /// <summary>
    /// Hidden layer widths between input and latent layer (the decoder uses them in reverse). The paper explores
    /// 0, 1 and 2 hidden layers of 600 and finds 0 or 1 best; default [600]. Wider layers fit more but overfit
    /// sparse users; none makes the VAE log-linear.
    /// </summary>
    public int[] HiddenDims { get; init; } = [600];

    /// <summary>Latent dimension K. Default 200 (Section 4.3). Too small underfits; larger adds little.</summary>
    public int LatentDim { get; init; } = 200;

    /// <summary>
    /// Probability of dropping each input click during training. Default 0.5 (Section 4.3, keep_prob 0.5 in the
    /// reference code). 0 disables the denoising; near 1 leaves too little signal.
    /// </summary>
    public double DropoutRate { get; init; } = 0.5;

    /// <summary>
    /// Weight decay λ added as λ·Σ‖W‖² over weight matrices (not biases), as the reference code applies it
    /// (TF l2_regularizer(λ) doubled). Default 0 for the VAE; the paper uses 0.01 for Mult-DAE
    /// (<see cref="ForDae"/>). Too large shrinks every user towards popularity.
    /// </summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// Loss weight of the clicks that dropout kept in the input; the clicks it dropped weigh 1. Default 1: every click
    /// counts alike, as in the paper. Below 1 the loss leans towards predicting the dropped clicks from the kept ones
    /// instead of reproducing the kept ones, which a wide network can learn to copy (the "emphasized denoising" of
    /// Steck, NeurIPS 2020, "Autoencoders that don't overfit towards the identity"); 0 scores the dropped clicks alone.
    /// Multinomial likelihood only; needs dropout.
    /// </summary>
    public double KeptClickWeight { get; init; } = 1.0;

    /// <summary>
    /// Mult-DAE's code activation. Default tanh (the paper's). Linear makes [I-K-I] a rank-K linear model under the
    /// softmax. Not written when it is the default, so older checkpoints and experiment identities stay the same.
    /// DAE only: the VAE's code is linear already.
    /// </summary>
    [JsonConverter(typeof(JsonStringEnumConverter<CodeActivation>))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public CodeActivation CodeActivation { get; init; } = CodeActivation.Tanh;

    /// <summary>
    /// Number of neighbours k of each item in an item-item term added to the decoder's output: score_uj gains
    /// Σ_i x̃_ui·N_ij over the k items j most often clicked together with i in the training data (never i itself), where
    /// x̃_u is the user's dropped-out binary clicks (1/keep where kept) and N [I, k] is learned from zero. The low-rank
    /// code models what users share; the term adds the full-rank, item-to-item part a closed form such as EASE fits,
    /// at O(I·k) weights. Default 0: no term (the paper's models). Not written when 0, so older files read the same.
    /// One process only (not data-parallel workers or item shards, yet).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ItemNeighbours { get; init; }

    /// <summary>
    /// Weight decay λ_N of the item-item term's weights, λ_N·Σ N², separate from <see cref="WeightDecay"/> because those
    /// weights act on raw clicks rather than a normalized code. Default 0. Not written when 0.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double NeighbourWeightDecay { get; init; }

    /// <summary>Gaussian likelihood: confidence c1 on clicked items (c1 &gt; c0). Default 10.</summary>
    public double GaussianClickConfidence { get; init; } = 10.0;

    /// <summary>Gaussian likelihood: confidence c0 on unclicked items. Default 1.</summary>
    public double GaussianUnclickedConfidence { get; init; } = 1.0;

    /// <summary>Layer widths from input to latent: [I, hidden..., K] (the VAE's last encoder layer emits 2K).</summary>
    [JsonIgnore]
    public int[] EncoderDims => [ItemCount, .. HiddenDims, LatentDim];

    /// <summary>The largest item count (exclusive) an item-item term supports: 2^24, float32's exact integers.</summary>
    public const int MaxItemsWithNeighbours = 1 << 24;

    /// <summary>The paper's Mult-VAE^PR for I items.</summary>
    public static AutoencoderConfig ForVae(int itemCount) => new() { Kind = ModelKind.Vae, ItemCount = itemCount };

    /// <summary>The paper's Mult-DAE for I items: [I → 200 → I] with weight decay 0.01.</summary>
    public static AutoencoderConfig ForDae(int itemCount) =>
        new() { Kind = ModelKind.Dae, ItemCount = itemCount, HiddenDims = [], WeightDecay = 0.01 };

    /// <summary>Throws with the name of the setting to fix when a value is out of range.</summary>
    public void Validate()
    {
        if (Kind is not (ModelKind.Vae or ModelKind.Dae))
            throw new ArgumentException($"{nameof(Kind)} {Kind} is not a Mult-VAE or Mult-DAE: RecVAE has its own settings and trainer ('vaecf train --model recvae').");
        if (ItemCount < 1) throw new ArgumentException($"{nameof(ItemCount)} must be at least 1 (was {ItemCount}).");
        if (LatentDim < 1) throw new ArgumentException($"{nameof(LatentDim)} must be at least 1 (was {LatentDim}).");
        if (HiddenDims.Any(d => d < 1)) throw new ArgumentException($"{nameof(HiddenDims)} must all be at least 1.");
        if (!(DropoutRate >= 0 && DropoutRate < 1)) throw new ArgumentException($"{nameof(DropoutRate)} must be in [0, 1) (was {DropoutRate}).");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new ArgumentException($"{nameof(WeightDecay)} must be finite and non-negative (was {WeightDecay}).");
        if (!(KeptClickWeight >= 0 && KeptClickWeight <= 1)) throw new ArgumentException($"{nameof(KeptClickWeight)} must be in [0, 1] (was {KeptClickWeight}).");
        if (KeptClickWeight != 1 && Likelihood != Likelihood.Multinomial)
            throw new ArgumentException($"{nameof(KeptClickWeight)} below 1 needs the multinomial likelihood (was {Likelihood}).");
        if (KeptClickWeight != 1 && DropoutRate == 0)
            throw new ArgumentException($"{nameof(KeptClickWeight)} below 1 needs dropout: without it no click is dropped.");
        if (!Enum.IsDefined(CodeActivation)) throw new ArgumentException($"{nameof(CodeActivation)} {(int)CodeActivation} is not tanh or linear.");
        if (CodeActivation != CodeActivation.Tanh && Kind != ModelKind.Dae)
            throw new ArgumentException($"{nameof(CodeActivation)} {CodeActivation} is for the DAE: the VAE's code is already linear (z = μ + ε·σ).");
        if (ItemNeighbours < 0 || (ItemNeighbours > 0 && ItemNeighbours >= ItemCount))
            throw new ArgumentException($"{nameof(ItemNeighbours)} must be 0 (no item-item term) or between 1 and the item count less one, {ItemCount - 1} (was {ItemNeighbours}).");
        if (!(NeighbourWeightDecay >= 0) || double.IsInfinity(NeighbourWeightDecay))
            throw new ArgumentException($"{nameof(NeighbourWeightDecay)} must be finite and non-negative (was {NeighbourWeightDecay}).");
        if (ItemNeighbours > 0 && KeptClickWeight != 1)
            throw new ArgumentException($"{nameof(ItemNeighbours)} with a {nameof(KeptClickWeight)} below 1 is not supported: the term reads each user's click count, which click weights change.");
        if (ItemNeighbours > 0 && ItemCount >= MaxItemsWithNeighbours)
            throw new ArgumentException($"{nameof(ItemNeighbours)} needs fewer than {MaxItemsWithNeighbours} items (was {ItemCount}): model files store the neighbour index as float32, exact below 2^24.");
        if (Likelihood == Likelihood.Gaussian && !(GaussianClickConfidence > GaussianUnclickedConfidence && GaussianUnclickedConfidence > 0))
            throw new ArgumentException($"{nameof(GaussianClickConfidence)} must exceed {nameof(GaussianUnclickedConfidence)} > 0.");
    }
}
