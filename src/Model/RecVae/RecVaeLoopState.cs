namespace VaeCfCluster.Model.RecVae;

/// <summary>Where a RecVAE run stands after an epoch: the epoch, the pass counter, the best epoch so far and the history.</summary>
public sealed record RecVaeLoopState(int Epoch, long Pass, int BestEpoch, double BestValidationNdcg100, IReadOnlyList<RecVaeEpoch> History)
{
    /// <summary>Before the first epoch.</summary>
    public static RecVaeLoopState Fresh { get; } = new(0, 0, 0, double.NegativeInfinity, []);
}
