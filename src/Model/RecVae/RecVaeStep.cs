namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// One RecVAE update: the training rows of one batch of pass <paramref name="Pass"/> (numbered across epochs; it seeds
/// the dropout masks and latent noise with the user), which parameters it updates, and what the composite prior's copy
/// of the encoder must be: the encoder as it was after <paramref name="PriorVersion"/> epochs (0: its own random start).
/// <paramref name="EncoderIsPrior"/> says the encoder has not changed since that copy was due, so a worker that lacks it
/// can take it from the encoder.
/// </summary>
public sealed record RecVaeStep(long Pass, int[] Rows, RecVaePhase Phase, int PriorVersion, bool EncoderIsPrior);
