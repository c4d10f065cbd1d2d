using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Baselines.Support;

/// <summary>
/// The baseline tests' ml-100k split, built once per run by the project's own pipeline: ratings > 3.5, users with
/// at least 5 clicks, 150 validation and 150 test users, 80/20 fold-in split, seed 20180423.
/// </summary>
internal static class MovieLens100kSplit
{
    private static readonly Lazy<DataSplit> s_split = new(() =>
        StrongGeneralizationSplitter.Split(DataCatalog.DataSet("ml-100k").Load(),
            new SplitOptions { HeldOutUserCount = 150, Seed = 20180423 }));

    /// <summary>The split.</summary>
    public static DataSplit Split => s_split.Value;

    /// <summary>Mean test NDCG@100 of a scorer, from the project's evaluator.</summary>
    public static double TestNdcg(IRecommenderScorer scorer) =>
        new RankingEvaluator([RankingMetric.Ndcg(100)]).Evaluate(scorer, Split.Test)[RankingMetric.Ndcg(100)].Mean;
}
