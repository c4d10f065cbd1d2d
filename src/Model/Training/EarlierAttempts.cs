using VaeCfCluster.Model.RecVae;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// The time a resumed run already spent in the epochs its checkpoint holds (training and validation), so its elapsed
/// time and its total count every attempt rather than starting again at zero after each interruption or failover.
/// Time lost in an interrupted epoch, and start-up, are not counted: only the epochs that were kept.
/// </summary>
public static class EarlierAttempts
{
    /// <summary>The seconds of the autoencoder epochs in <paramref name="history"/>.</summary>
    public static TimeSpan TimeOf(IEnumerable<EpochRecord> history) =>
        TimeSpan.FromSeconds(history.Sum(r => r.Seconds + r.ValidationSeconds));

    /// <summary>The seconds of the RecVAE epochs in <paramref name="history"/>.</summary>
    public static TimeSpan TimeOf(IEnumerable<RecVaeEpoch> history) =>
        TimeSpan.FromSeconds(history.Sum(r => r.Seconds));
}
