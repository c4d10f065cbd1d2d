using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Evaluation.LeaveOneOut;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Client.Tests.Experiments;

/// <summary>
/// The small experiment's numbers computed by direct calls to the trainer, the baselines and the evaluators, without
/// the experiment code: what the report must show.
/// </summary>
internal sealed class DirectRuns
{
    private static readonly Lazy<DirectRuns> Instance = new(() => new DirectRuns());

    private DirectRuns()
    {
        TorchSharp.torch.set_num_threads(2);
        var split = SmallExperiment.Split();
        long batches = (long)Math.Ceiling(split.Train.RowCount / 500.0);
        long annealSteps = (long)Math.Round(0.8 * SmallExperiment.Epochs * batches);

        NoAnneal = Train(split, AutoencoderConfig.ForVae(split.ItemCount), new BetaScheduleOptions { Mode = BetaMode.Constant, Constant = 1 });
        AnnealToOne = Train(split, AutoencoderConfig.ForVae(split.ItemCount), new BetaScheduleOptions { Mode = BetaMode.Anneal, Cap = 1, TotalAnnealSteps = annealSteps });
        BestBeta = AnnealToOne.History[AnnealToOne.BestEpoch - 1].Beta;
        Vae = Train(split, AutoencoderConfig.ForVae(split.ItemCount), new BetaScheduleOptions { Mode = BetaMode.Anneal, Cap = BestBeta, TotalAnnealSteps = annealSteps });
        Automatic = Train(split, AutoencoderConfig.ForVae(split.ItemCount), new BetaScheduleOptions { Mode = BetaMode.Auto, TotalAnnealSteps = annealSteps });
        Dae = SmallExperiment.DaeWeightDecays
            .Select(d => (Decay: d, Run: Train(split, AutoencoderConfig.ForDae(split.ItemCount) with { WeightDecay = d }, new BetaScheduleOptions())))
            .MaxBy(x => x.Run.BestValidationNdcg100).Run;

        var evaluator = new RankingEvaluator(RankingMetric.PaperMetrics, 1000);
        (Ease, EaseLambda) = SmallExperiment.EaseLambdas
            .Select(l =>
            {
                using var scorer = EaseScorer.Fit(split.Train, new EaseOptions { Lambda = l });
                var validation = evaluator.Evaluate(scorer, split.Validation)[RankingMetric.Ndcg(100)].Mean;
                return (Test: evaluator.Evaluate(scorer, split.Test), Lambda: l, Validation: validation);
            })
            .MaxBy(x => x.Validation) is var best ? (best.Test, best.Lambda) : default;
        using (var popularity = PopularityScorer.Fit(split.Train)) Popularity = evaluator.Evaluate(popularity, split.Test);

        var source = DataCatalog.DataSet("ml-100k");
        var everyRating = ClickPreprocessor.Preprocess(source.ReadRatings(), source.Preprocessing with { RatingThreshold = null });
        var loo = LeaveOneOutSplitter.Split(everyRating, new LeaveOneOutOptions { Seed = 98765, NegativeCount = 100 });
        var sampled = new SampledRankingEvaluator(10, 1000);
        var looDae = SmallExperiment.DaeWeightDecays
            .Select(d => new Trainer(Options(new BetaScheduleOptions())).Train(loo.Split, AutoencoderConfig.ForDae(loo.Split.ItemCount) with { WeightDecay = d }))
            .MaxBy(r => r.BestValidationNdcg100)!;
        LeaveOneOutDae = sampled.Evaluate(new AutoencoderScorer(looDae.BestNetwork), loo);
        using (var popularity = PopularityScorer.Fit(loo.Split.Train)) LeaveOneOutPopularity = sampled.Evaluate(popularity, loo);
    }

    public static DirectRuns Get() => Instance.Value;

    public TrainingResult NoAnneal { get; }
    public TrainingResult AnnealToOne { get; }
    public double BestBeta { get; }
    public TrainingResult Vae { get; }
    public TrainingResult Automatic { get; }
    public TrainingResult Dae { get; }
    public EvaluationResult Ease { get; }
    public double EaseLambda { get; }
    public EvaluationResult Popularity { get; }
    public EvaluationResult LeaveOneOutDae { get; }
    public EvaluationResult LeaveOneOutPopularity { get; }

    private static TrainingResult Train(DataSplit split, AutoencoderConfig config, BetaScheduleOptions beta) =>
        new Trainer(Options(beta)).Train(split, config);

    private static TrainerOptions Options(BetaScheduleOptions beta) =>
        new() { Epochs = SmallExperiment.Epochs, BatchSize = 500, Seed = SmallExperiment.Seed, Beta = beta, EvaluationBatchSize = 1000 };
}
