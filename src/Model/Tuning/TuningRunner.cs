using System.Diagnostics;
using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tuning;

/// <summary>
/// Trains and evaluates one <see cref="TuningRun"/> in this process: RecVAE with <see cref="RecVaeTrainer"/>, Mult-VAE^PR and
/// Mult-DAE with <see cref="Trainer"/> (the epoch with the best validation NDCG@100 is kept), EASE and WMF fitted on the
/// training users and scored on validation and test.
/// </summary>
/// <param name="epochs">Epochs of the autoencoders (each stops early after <paramref name="patience"/> epochs without a better validation NDCG@100).</param>
/// <param name="patience">The autoencoders' early stop; 0 runs every epoch.</param>
/// <param name="seed">Seed of weights, shuffles, dropout and noise.</param>
/// <param name="checkpointFolder">Where an autoencoder run keeps its checkpoint while it trains (named by the run's id, deleted
/// when it finishes), so an interrupted run resumes; null for none.</param>
/// <param name="precision">The autoencoders' dense products (<see cref="MatmulPrecision"/>).</param>
public sealed class TuningRunner(int epochs, int patience, long seed, string? checkpointFolder = null, MatmulPrecision precision = MatmulPrecision.Fp32)
{
    private static readonly RankingMetric Ndcg100 = RankingMetric.Ndcg(100);

    /// <summary>Runs <paramref name="run"/> on <paramref name="split"/>.</summary>
    public TuningOutcome Run(TuningRun run, DataSplit split, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        return run.Model switch
        {
            "recvae" => RunRecVae(run, split, log, cancellation, clock),
            "vae" or "dae" or TuningSpace.DaeWithNeighbours => RunAutoencoder(run, split, log, cancellation, clock),
            "ease" => RunBaseline(run, split, clock, () => EaseScorer.Fit(split.Train, new EaseOptions { Lambda = run.Get("lambda", 500) })),
            "wmf" => RunBaseline(run, split, clock, () => WmfScorer.Fit(split.Train,
                new WmfOptions { PositiveWeight = run.Get("c1", 10), Factors = (int)run.Get("factors", 100), Seed = unchecked((ulong)seed) })),
            _ => throw new ArgumentException($"Unknown model '{run.Model}' (recvae, vae, dae, {TuningSpace.DaeWithNeighbours}, ease, wmf)."),
        };
    }

    private TuningOutcome RunRecVae(TuningRun run, DataSplit split, Action<string>? log, CancellationToken cancellation, Stopwatch clock)
    {
        var options = new RecVaeOptions
        {
            LearningRate = run.Get("lr", 5e-4),
            DropoutRate = run.Get("dropout", 0.5),
            Gamma = run.Get("gamma", 0.005),
            Hidden = (int)run.Get("hidden", 600),
            Latent = (int)run.Get("latent", 200),
            Epochs = epochs,
            Patience = patience,
            Seed = seed,
            Precision = precision,
        };
        var checkpoint = CheckpointPath(run, "recvae");
        using var result = new RecVaeTrainer(options).Train(split, log, cancellation, checkpoint);
        var outcome = Outcome(run, result.BestValidationNdcg100, result.BestEpoch, result.Test, (clock.Elapsed + result.TimeBeforeResume).TotalSeconds);
        if (checkpoint is not null) File.Delete(checkpoint);
        return outcome;
    }

    private TuningOutcome RunAutoencoder(TuningRun run, DataSplit split, Action<string>? log, CancellationToken cancellation, Stopwatch clock)
    {
        var config = AutoencoderConfigOf(run, split);
        const int batchSize = 500;
        long planned = (long)epochs * ((split.Train.RowCount + batchSize - 1) / batchSize);
        double cap = run.Get("beta_cap", 0.2);
        var options = new TrainerOptions
        {
            Epochs = epochs,
            Patience = patience,
            BatchSize = batchSize,
            Seed = seed,
            Precision = precision,
            Adam = new AdamOptions { LearningRate = run.Get("lr", 1e-3) },
            CheckpointPath = CheckpointPath(run, "vaecf"),
            Resume = true,
            Beta = new BetaScheduleOptions
            {
                Mode = BetaMode.Anneal, Cap = cap,
                TotalAnnealSteps = Math.Max(1, (long)Math.Round(run.Get("anneal_fraction", 0.8) * planned / cap)),
            },
        };
        var result = new Trainer(options).Train(split, config, log is null ? null : new EpochLog(log), cancellation);
        using var network = result.BestNetwork;
        if (!result.Completed) throw new OperationCanceledException("The run was interrupted.");
        log?.Invoke(FormattableString.Invariant($"{run.Model}: best epoch {result.BestEpoch}, validation NDCG@100 {result.BestValidationNdcg100:F4}"));
        var outcome = Outcome(run, result.BestValidationNdcg100, result.BestEpoch, result.Test, (clock.Elapsed + result.TimeBeforeResume).TotalSeconds);
        if (options.CheckpointPath is not null) File.Delete(options.CheckpointPath);
        return outcome;
    }

    /// <summary>The model a Mult-VAE^PR, Mult-DAE or Mult-DAE-with-item-item-term run trains on <paramref name="split"/>.</summary>
    internal static AutoencoderConfig AutoencoderConfigOf(TuningRun run, DataSplit split)
    {
        bool vae = run.Model == "vae", neighbours = run.Model == TuningSpace.DaeWithNeighbours;
        var config = new AutoencoderConfig
        {
            Kind = vae ? ModelKind.Vae : ModelKind.Dae,
            ItemCount = split.ItemCount,
            HiddenDims = vae ? [(int)run.Get("hidden", 600)] : [],
            LatentDim = (int)run.Get("latent", 200),
            DropoutRate = run.Get("dropout", 0.5),
            WeightDecay = run.Get("weight_decay", vae ? 0 : 0.01),
        };
        return neighbours
            ? config with
            {
                Likelihood = Likelihood.Gaussian, GaussianClickConfidence = run.Get("c1", 2), GaussianUnclickedConfidence = 1,
                ItemNeighbours = Math.Min((int)run.Get("neighbours", 1000), split.ItemCount - 1),
                NeighbourWeightDecay = run.Get("neighbour_decay_per_user", 50) / (2.0 * split.Train.RowCount),
            }
            : config;
    }

    private string? CheckpointPath(TuningRun run, string extension)
    {
        if (checkpointFolder is null) return null;
        Directory.CreateDirectory(checkpointFolder);
        return Path.Combine(checkpointFolder, $"{run.Id}.{extension}");
    }

    private static TuningOutcome RunBaseline(TuningRun run, DataSplit split, Stopwatch clock, Func<IRecommenderScorer> fit)
    {
        var scorer = fit();
        try
        {
            double seconds = clock.Elapsed.TotalSeconds;
            double validation = new RankingEvaluator([Ndcg100]).Evaluate(scorer, split.Validation)[Ndcg100].Mean;
            var test = new RankingEvaluator().Evaluate(scorer, split.Test);
            return Outcome(run, validation, 0, test, seconds);
        }
        finally
        {
            (scorer as IDisposable)?.Dispose();
        }
    }

    private static TuningOutcome Outcome(TuningRun run, double validation, int bestEpoch, EvaluationResult test, double seconds) =>
        new(run.Id, run.Model, run.Settings.ToDictionary(s => s.Key, s => s.Value), run.SplitSeed, validation, bestEpoch,
            test.Summaries.ToDictionary(s => s.Metric.Name, s => new MetricValue(s.Mean, s.StandardError)),
            test[Ndcg100].Values.ToArray(), seconds);

    /// <summary>A line per finished epoch of an autoencoder run, as RecVAE's runs log theirs (a long search is never silent).</summary>
    private sealed class EpochLog(Action<string> log) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            if (!p.EpochCompleted) return;
            log(FormattableString.Invariant(
                $"  epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:F2}, validation NDCG@100 {p.LastValidationNdcg100:F4} (best {p.BestValidationNdcg100:F4}), {p.Elapsed.TotalSeconds:F0} s"));
        }
    }
}
