namespace VaeCfCluster.Model.RecVae;

/// <summary>Which of RecVAE's parameters a pass updates, and on what input.</summary>
public enum RecVaePhase
{
    /// <summary>The encoder only, on dropped-out input, with the KL term (the decoder is frozen).</summary>
    Encoder,

    /// <summary>The decoder only, on the un-dropped input, without the KL term (the encoder is frozen).</summary>
    Decoder,

    /// <summary>Both, on dropped-out input, with the KL term (RecVAE without alternating updates).</summary>
    Joint,
}
