using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Evaluation.LeaveOneOut;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// Table 3: NCF's protocol (He et al. 2017) as Section 4.5 uses it on ML-1M. Every rating counts as an interaction; each
/// user's held-out item is ranked against sampled items the user never interacted with, and the table reports
/// Recall@10 (equal to HR@10 with one held-out item) and NDCG@10. Mult-DAE is [I → 200 → I] as in the paper, its
/// weight decay chosen by validation NDCG@100 on a second held-out item per user; popularity is a floor.
/// </summary>
public static class LeaveOneOutStudy
{
    private const string Prefix = "loo-";
    private const string PopularityId = Prefix + "popularity";

    /// <summary>The run ids Table 3 needs.</summary>
    public static IEnumerable<string> RunIds(ExperimentSettings settings) =>
        settings.DaeWeightDecays.Select(d => AutoencoderTuning.DaeId(Likelihood.Multinomial, d, Prefix)).Append(PopularityId);

    /// <summary>Builds the leave-one-out data, trains and fits the models, and evaluates them against sampled negatives.</summary>
    public static async Task<LeaveOneOutStudyResult> RunAsync(StudyContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        var data = context.Inputs.LeaveOneOutData!();
        var loo = LeaveOneOutSplitter.Split(data, new LeaveOneOutOptions
        {
            Seed = context.Inputs.SplitSeed, NegativeCount = settings.LeaveOneOutNegatives,
        });
        context.Log.WriteLine($"table 3: {loo.KeptUserCount} users with 3+ interactions ({loo.DroppedUserCount} dropped), {data.ItemCount} items, " +
                              $"{data.ClickCount} interactions; each held-out item ranked against {settings.LeaveOneOutNegatives} sampled negatives");
        var evaluator = new SampledRankingEvaluator(SampledRankingEvaluator.DefaultCutoff, settings.EvaluationBatchSize);
        EvaluationResult Evaluate(IRecommenderScorer scorer) => evaluator.Evaluate(scorer, loo);
        var dae = await AutoencoderTuning.DaeOnAsync(context, Likelihood.Multinomial, StudyKind.Table3, loo.Split, Prefix, Evaluate,
            cancellationToken);
        var popularity = context.Baseline(PopularityId, "Popularity", "-", StudyKind.Table3, loo.Split, train => PopularityScorer.Fit(train),
            Evaluate);
        return new LeaveOneOutStudyResult(loo.KeptUserCount, loo.DroppedUserCount, data.ItemCount, data.ClickCount,
            settings.LeaveOneOutNegatives, [new ChosenRun("Popularity", popularity, [popularity]), dae]);
    }
}
