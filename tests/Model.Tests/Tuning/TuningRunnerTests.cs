using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;
using VaeCfCluster.Model.Tuning;
using Xunit;

namespace VaeCfCluster.Model.Tests.Tuning;

/// <summary>A tuning run of Mult-DAE with the item-item term trains the model its settings describe.</summary>
public sealed class TuningRunnerTests
{
    [Fact]
    public void AutoencoderConfigOf_DaeWithNeighboursDefaults_IsCiteulikesBestModelScaledToTheData()
    {
        var split = PlantedSplit.Create(64, 8, 30, 3, seed: 2);
        var run = new TuningRun(TuningSpace.DaeWithNeighbours, TuningSpace.Defaults(TuningSpace.DaeWithNeighbours), 1, "planted");

        var config = TuningRunner.AutoencoderConfigOf(run, split);

        // citeulike-a's best row: DAE [I-1000-I], weight decay 1e-5, dropout 0.1, Gaussian with c1 2 and c0 1, 1,000
        // neighbours (here capped at 29, the item count less one), λ_N = 50 / (2 × training users).
        Assert.Equal(ModelKind.Dae, config.Kind);
        Assert.Empty(config.HiddenDims);
        Assert.Equal(1000, config.LatentDim);
        Assert.Equal(0.1, config.DropoutRate);
        Assert.Equal(1e-5, config.WeightDecay);
        Assert.Equal(Likelihood.Gaussian, config.Likelihood);
        Assert.Equal(2, config.GaussianClickConfidence);
        Assert.Equal(1, config.GaussianUnclickedConfidence);
        Assert.Equal(29, config.ItemNeighbours);
        Assert.Equal(50.0 / (2 * 64), config.NeighbourWeightDecay, 15);
        config.Validate();
    }

    [Fact]
    public void Run_DaeWithNeighbours_GivesWhatTheTrainerGivesForItsSettings()
    {
        var split = PlantedSplit.Create(64, 8, 30, 3, seed: 2);
        var settings = new Dictionary<string, double>(TuningSpace.Defaults(TuningSpace.DaeWithNeighbours))
        {
            ["latent"] = 8, ["neighbours"] = 5, ["neighbour_decay_per_user"] = 100, ["c1"] = 5,
        };
        var run = new TuningRun(TuningSpace.DaeWithNeighbours, settings, 1, "planted");

        var lines = new List<string>();
        var outcome = new TuningRunner(epochs: 3, patience: 0, seed: 7).Run(run, split, lines.Add);

        var config = new AutoencoderConfig
        {
            Kind = ModelKind.Dae, ItemCount = 30, HiddenDims = [], LatentDim = 8, DropoutRate = 0.1, WeightDecay = 1e-5,
            Likelihood = Likelihood.Gaussian, GaussianClickConfidence = 5, GaussianUnclickedConfidence = 1,
            ItemNeighbours = 5, NeighbourWeightDecay = 100.0 / (2 * 64),
        };
        var expected = new Trainer(new TrainerOptions
        {
            Epochs = 3, BatchSize = 500, Seed = 7,
            Beta = new BetaScheduleOptions { Mode = BetaMode.Anneal, Cap = 0.2, TotalAnnealSteps = (long)Math.Round(0.8 * 3 / 0.2) },
        }).Train(split, config);
        using var network = expected.BestNetwork;
        Assert.Equal(expected.BestValidationNdcg100, outcome.ValidationNdcg100, 12);
        Assert.Equal(expected.BestEpoch, outcome.BestEpoch);
        Assert.Equal(expected.Test[VaeCfCluster.Model.Evaluation.RankingMetric.Ndcg(100)].Mean, outcome.Test["NDCG@100"].Mean, 12);
        // Each epoch is logged with its validation NDCG@100, then the run's best.
        Assert.Equal(["  epoch 1/3", "  epoch 2/3", "  epoch 3/3"], lines.Where(l => l.StartsWith("  epoch", StringComparison.Ordinal)).Select(l => l[..11]));
        Assert.Contains(FormattableString.Invariant($"validation NDCG@100 {expected.History[^1].ValidationNdcg100:F4}"), lines[2]);
    }

    [Fact]
    public void Run_RecVaeInBf16_GivesWhatTheTrainerGivesWithBf16Products()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        var settings = new Dictionary<string, double>(TuningSpace.Defaults("recvae")) { ["hidden"] = 32, ["latent"] = 8 };
        var run = new TuningRun("recvae", settings, 1, "planted");

        var outcome = new TuningRunner(epochs: 3, patience: 0, seed: 7, precision: MatmulPrecision.Bf16).Run(run, split);

        var options = new RecVaeOptions
        {
            LearningRate = settings["lr"], DropoutRate = settings["dropout"], Gamma = settings["gamma"], Hidden = 32, Latent = 8, Epochs = 3, Seed = 7,
        };
        using var bf16 = new RecVaeTrainer(options with { Precision = MatmulPrecision.Bf16 }).Train(split);
        using var fp32 = new RecVaeTrainer(options).Train(split);
        Assert.NotEqual(fp32.History.Select(h => h.Loss), bf16.History.Select(h => h.Loss));
        Assert.Equal(bf16.BestValidationNdcg100, outcome.ValidationNdcg100, 12);
        Assert.Equal(bf16.BestEpoch, outcome.BestEpoch);
        Assert.Equal(bf16.Test[VaeCfCluster.Model.Evaluation.RankingMetric.Ndcg(100)].Mean, outcome.Test["NDCG@100"].Mean, 12);
    }

    [Fact]
    public void Run_MultVaeWithPatience_StopsWhereTheTrainerWithThatPatienceStops()
    {
        var split = PlantedSplit.Create(64, 8, 30, 3, seed: 3);
        var settings = new Dictionary<string, double>(TuningSpace.Defaults("vae")) { ["hidden"] = 16, ["latent"] = 8 };
        var run = new TuningRun("vae", settings, 1, "planted");

        var lines = new List<string>();
        var outcome = new TuningRunner(epochs: 15, patience: 1, seed: 7).Run(run, split, lines.Add);

        var config = TuningRunner.AutoencoderConfigOf(run, split);
        long planned = 15L * 1;
        var expected = new Trainer(new TrainerOptions
        {
            Epochs = 15, Patience = 1, BatchSize = 500, Seed = 7, Adam = new AdamOptions { LearningRate = settings["lr"] },
            Beta = new BetaScheduleOptions { Mode = BetaMode.Anneal, Cap = settings["beta_cap"], TotalAnnealSteps = (long)Math.Round(settings["anneal_fraction"] * planned / settings["beta_cap"]) },
        }).Train(split, config);
        using var network = expected.BestNetwork;
        Assert.True(expected.StoppedEarly, "the trainer ran every epoch: the data gives the test nothing to check");
        Assert.Equal(expected.History.Count, lines.Count(l => l.StartsWith("  epoch", StringComparison.Ordinal)));
        Assert.Equal(expected.BestEpoch, outcome.BestEpoch);
        Assert.Equal(expected.BestValidationNdcg100, outcome.ValidationNdcg100, 12);
    }

    [Fact]
    public void Run_InterruptedThenRunAgain_CountsTheFirstAttemptsEpochsInItsSeconds()
    {
        var split = PlantedSplit.Create(64, 8, 30, 3, seed: 2);
        var settings = new Dictionary<string, double>(TuningSpace.Defaults("dae")) { ["latent"] = 8 };
        var run = new TuningRun("dae", settings, 1, "planted");
        var folder = Directory.CreateTempSubdirectory("vaecf-tune-seconds-").FullName;
        try
        {
            var runner = new TuningRunner(epochs: 12, patience: 0, seed: 7, checkpointFolder: folder);
            using var stop = new CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() => runner.Run(run, split, line =>
            {
                if (line.StartsWith("  epoch 11/12", StringComparison.Ordinal)) stop.Cancel();
            }, stop.Token));
            // The first attempt's eleven epochs, training and validation, as its checkpoint recorded them.
            var history = VaeCfCluster.Model.Checkpoints.TensorFile.PeekHeader(Assert.Single(Directory.GetFiles(folder)))
                .GetProperty("State").GetProperty("History").EnumerateArray().ToArray();
            Assert.Equal(11, history.Length);
            double earlier = history.Sum(h => h.GetProperty("Seconds").GetDouble() + h.GetProperty("ValidationSeconds").GetDouble());

            var outcome = runner.Run(run, split);

            // The second attempt trains the twelfth epoch; the run's seconds hold the first attempt's eleven as well
            // (taken alone, its own time is about two epochs').
            Assert.True(outcome.TrainSeconds >= earlier, $"{outcome.TrainSeconds} s reported, {earlier} s in the first attempt's epochs");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
