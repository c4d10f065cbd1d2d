namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// Progress after one RecVAE update: the epoch, the batch within the epoch's passes (<paramref name="Batch"/> of
/// <paramref name="Batches"/>, counting every pass), the batch's loss, the elapsed time (with the epochs earlier attempts
/// kept) and the time left for the epochs of this run.
/// </summary>
public sealed record RecVaeProgress(int Epoch, int Batch, int Batches, RecVaePhase Phase, double BatchLoss, double UsersPerSecond,
    TimeSpan Elapsed, TimeSpan Remaining);
