namespace VaeCfCluster.Model.Experiments;

/// <summary>One curve of Figure 1: a labelled VAE run whose history gives validation NDCG@100 and β per epoch.</summary>
public sealed record AnnealingCurve(string Label, RunOutcome Run);
