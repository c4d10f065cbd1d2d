using System.Diagnostics;
using System.Globalization;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// What every study shares: the settings and data, the run ledger, where autoencoders train, and the two kinds of run
/// (train an autoencoder, fit a baseline). Each run is looked up in the ledger first, so a resumed experiment skips
/// finished runs and studies that need the same run (Table 2 and Table 4 both need Mult-DAE) share it.
/// </summary>
public sealed class StudyContext(ExperimentSettings settings, ExperimentInputs inputs, RunLedger ledger, IAutoencoderRunner autoencoders,
    TextWriter log, int plannedRuns)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HashSet<string> _seen = [];

    /// <summary>The settings.</summary>
    public ExperimentSettings Settings => settings;

    /// <summary>The data.</summary>
    public ExperimentInputs Inputs => inputs;

    /// <summary>Where progress lines go.</summary>
    public TextWriter Log => log;

    /// <summary>
    /// Trainer settings with the β schedule <paramref name="beta"/>: the experiment's
    /// epochs, batch size and seed, Adam with the paper's learning rate.
    /// </summary>
    public TrainerOptions TrainerOptions(BetaScheduleOptions beta) => new()
    {
        Epochs = settings.Epochs,
        BatchSize = settings.BatchSize,
        Seed = settings.Seed,
        Beta = beta,
        EvaluationBatchSize = settings.EvaluationBatchSize,
    };

    /// <summary>Updates over which annealing reaches β = 1: <see cref="ExperimentSettings.AnnealFraction"/> of the planned updates.</summary>
    public long AnnealSteps(DataSplit split)
    {
        long batches = (split.Train.RowCount + settings.BatchSize - 1) / settings.BatchSize;
        return Math.Max(1, (long)Math.Round(settings.AnnealFraction * settings.Epochs * batches));
    }

    /// <summary>The paper's test metrics (Recall@20, Recall@50, NDCG@100) over the split's test users.</summary>
    public EvaluationResult EvaluatePaperMetrics(IRecommenderScorer scorer, DataSplit split) =>
        new RankingEvaluator(RankingMetric.PaperMetrics, settings.EvaluationBatchSize).Evaluate(scorer, split.Test);

    /// <summary>Trains an autoencoder (or takes the finished run from the ledger) and evaluates its best epoch on the test users.</summary>
    public async Task<RunOutcome> AutoencoderAsync(string id, string model, string setting, StudyKind study, DataSplit split,
        AutoencoderConfig config, TrainerOptions options, Func<IRecommenderScorer, EvaluationResult> evaluateTest,
        CancellationToken cancellationToken)
    {
        if (Visit(id, model, setting) is { } done) return done;
        var clock = Stopwatch.StartNew();
        var run = await autoencoders.TrainAsync(id, split, config, options, cancellationToken);
        EvaluationResult test;
        using (run.Network)
        {
            test = evaluateTest(new AutoencoderScorer(run.Network));
        }
        var outcome = Outcome(id, model, setting, study, run.BestValidationNdcg100, test, clock) with
        {
            History = run.History,
            BestEpoch = run.BestEpoch,
            ChosenBeta = config.Kind == ModelKind.Vae ? run.ChosenBeta : null,
        };
        Finish(outcome, $"best epoch {run.BestEpoch}");
        await autoencoders.DiscardAsync(id);
        return outcome;
    }

    /// <summary>Fits a baseline (or takes the finished run from the ledger), scores validation and test users.</summary>
    public RunOutcome Baseline(string id, string model, string setting, StudyKind study, DataSplit split,
        Func<ClickMatrix, IRecommenderScorer> fit, Func<IRecommenderScorer, EvaluationResult>? evaluateTest = null)
    {
        if (Visit(id, model, setting) is { } done) return done;
        var clock = Stopwatch.StartNew();
        var scorer = fit(split.Train);
        try
        {
            double validation = new RankingEvaluator([RankingMetric.Ndcg(100)], settings.EvaluationBatchSize)
                .Evaluate(scorer, split.Validation)[RankingMetric.Ndcg(100)].Mean;
            var test = (evaluateTest ?? (s => EvaluatePaperMetrics(s, split)))(scorer);
            return Finish(Outcome(id, model, setting, study, validation, test, clock), "fitted");
        }
        finally
        {
            (scorer as IDisposable)?.Dispose();
        }
    }

    /// <summary>The run among <paramref name="candidates"/> with the best validation NDCG@100 (the first on ties).</summary>
    public static RunOutcome BestByValidation(IReadOnlyList<RunOutcome> candidates) =>
        candidates.Aggregate((best, next) => next.ValidationNdcg100 > best.ValidationNdcg100 ? next : best);

    /// <summary>A number as it appears in run ids and settings: invariant, shortest round-trip form.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private RunOutcome? Visit(string id, string model, string setting)
    {
        if (!_seen.Add(id)) return ledger.Find(id) ?? throw new InvalidOperationException($"Run {id} was started twice.");
        var done = ledger.Find(id);
        if (done is not null)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{_seen.Count}/{plannedRuns}] {model} {setting}: finished earlier (validation NDCG@100 {done.ValidationNdcg100:F4})"));
            return done;
        }
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{_seen.Count}/{plannedRuns}] {model} {setting}: running (experiment time {_clock.Elapsed:hh\\:mm\\:ss})"));
        return null;
    }

    private RunOutcome Finish(RunOutcome outcome, string what)
    {
        ledger.Save(outcome);
        var first = outcome.Test[^1];
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    {what} in {outcome.WallSeconds:F1} s: validation NDCG@100 {outcome.ValidationNdcg100:F4}, test {first.Name} {first.Mean:F4}"));
        return outcome;
    }

    private static RunOutcome Outcome(string id, string model, string setting, StudyKind study, double validation, EvaluationResult test,
        Stopwatch clock) => new()
    {
        Id = id,
        Model = model,
        Setting = setting,
        Study = study,
        ValidationNdcg100 = validation,
        Test = test.Summaries.Select(s => new MetricOutcome(s.Metric.Name, s.Mean, s.StandardError)).ToArray(),
        TestPerUser = test.Summaries.ToDictionary(s => s.Metric.Name, s => s.Values.ToArray()),
        TestUserIndices = test.UserIndices.ToArray(),
        TestFoldInCounts = test.FoldInCounts.ToArray(),
        Seconds = clock.Elapsed.TotalSeconds,
    };
}
