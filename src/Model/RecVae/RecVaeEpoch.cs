namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// One RecVAE epoch: the mean negative ELBO of its encoder passes (the mean negative log-likelihood when not alternating
/// is the same ELBO), validation NDCG@100 afterwards, and the seconds it took (training and validation).
/// </summary>
public sealed record RecVaeEpoch(int Epoch, double Loss, double ValidationNdcg100, double Seconds);
