namespace VaeCfCluster.Grains.Abstractions.Workers;

/// <summary>The RecVAE pass a worker's step belongs to: the model library's RecVaeStep without the rows.</summary>
/// <param name="Pass">The pass number, counted across epochs (seeds the dropout masks and latent noise).</param>
/// <param name="Phase">0: encoder pass, 1: decoder pass, 2: joint pass (RecVaePhase's values).</param>
/// <param name="PriorVersion">The epochs after which the composite prior's copy of the encoder was taken.</param>
/// <param name="EncoderIsPrior">The encoder has not changed since that copy was due.</param>
[GenerateSerializer, Immutable, Alias("vaecf.RecVaePassSettings")]
public sealed record RecVaePassSettings(
    [property: Id(0)] long Pass,
    [property: Id(1)] int Phase,
    [property: Id(2)] int PriorVersion,
    [property: Id(3)] bool EncoderIsPrior);
