using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Experiments;

/// <summary>Figure 3: two models' test NDCG@100 per activity quintile, with paired t-tests per quintile and overall.</summary>
/// <param name="First">The first model's row (Mult-VAE^PR).</param>
/// <param name="Second">The second model's row (Mult-DAE).</param>
/// <param name="Comparison">Quintiles least active first; t-tests of first − second.</param>
public sealed record ActivityStudyResult(ChosenRun First, ChosenRun Second, PairedActivityComparison Comparison);
