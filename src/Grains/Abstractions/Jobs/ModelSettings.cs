namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// The autoencoder a job trains, as it crosses the grain boundary: the wire form of the model library's
/// <c>AutoencoderConfig</c> (same names, same defaults; this contract needs no TorchSharp). The silo validates it and
/// refuses a job whose settings are out of range, naming the setting.
/// </summary>
[GenerateSerializer, Immutable, Alias("vaecf.ModelSettings")]
public sealed record ModelSettings
{
    /// <summary>Mult-VAE or Mult-DAE.</summary>
    [Id(0)] public AutoencoderKind Kind { get; init; } = AutoencoderKind.Vae;

    /// <summary>Reconstruction likelihood.</summary>
    [Id(1)] public ReconstructionLikelihood Likelihood { get; init; } = ReconstructionLikelihood.Multinomial;

    /// <summary>Items I (input and output width); must match the job's data.</summary>
    [Id(2)] public int ItemCount { get; init; }

    /// <summary>Hidden layer widths between the items and the latent code (the paper: [600]).</summary>
    [Id(3)] public int[] HiddenDims { get; init; } = [600];

    /// <summary>Latent dimension K (the paper: 200).</summary>
    [Id(4)] public int LatentDim { get; init; } = 200;

    /// <summary>Input dropout rate (the paper: 0.5).</summary>
    [Id(5)] public double DropoutRate { get; init; } = 0.5;

    /// <summary>λ of the λ·Σ‖W‖² penalty (0: none).</summary>
    [Id(6)] public double WeightDecay { get; init; }

    /// <summary>Gaussian likelihood: confidence of clicked items.</summary>
    [Id(7)] public double GaussianClickConfidence { get; init; } = 10.0;

    /// <summary>Gaussian likelihood: confidence of unclicked items.</summary>
    [Id(8)] public double GaussianUnclickedConfidence { get; init; } = 1.0;

    /// <summary>Likelihood weight of the clicks dropout kept (1: the paper's; below 1 emphasizes the dropped clicks).</summary>
    [Id(9)] public double KeptClickWeight { get; init; } = 1.0;

    /// <summary>The DAE's code activation (tanh: the paper's).</summary>
    [Id(10)] public DaeCodeActivation CodeActivation { get; init; } = DaeCodeActivation.Tanh;

    /// <summary>Neighbours per item of the item-item term beside the code (0: none, the paper's model).</summary>
    [Id(11)] public int ItemNeighbours { get; init; }

    /// <summary>λ_N of the λ_N·Σ N² penalty on the item-item term's weights.</summary>
    [Id(12)] public double NeighbourWeightDecay { get; init; }
}
