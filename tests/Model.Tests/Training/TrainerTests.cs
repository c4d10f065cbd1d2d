using TorchSharp;
using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-trainer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TrainerOptions Options(int epochs, string? checkpoint = null, string? log = null) => new()
    {
        Epochs = epochs, BatchSize = 32, Seed = 17, CheckpointPath = checkpoint, LogPath = log,
        Beta = new BetaScheduleOptions { TotalAnnealSteps = 20 },
    };

    private static AutoencoderConfig Config => new() { ItemCount = 60, HiddenDims = [24], LatentDim = 8 };

    [Fact]
    public void Train_ProgressReports_CarryTheAnnealedBetaForAVaeAndNoneForADae()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        var vae = new List<TrainingProgress>();
        var dae = new List<TrainingProgress>();

        var annealing = Options(2) with { Beta = new BetaScheduleOptions { TotalAnnealSteps = 100 } };
        var vaeRun = new Trainer(annealing).Train(split, Config, new Collect(vae));
        new Trainer(Options(2)).Train(split, Config with { Kind = ModelKind.Dae }, new Collect(dae));

        // Each report carries the β of its last step: (steps before it) / 100 anneal steps, below the schedule's cap.
        var ends = vae.Where(p => p.EpochCompleted).ToArray();
        Assert.Equal(vaeRun.History.Select(h => (double?)h.Beta), ends.Select(p => p.Beta));
        Assert.All(vae, p => Assert.Equal((p.Step - 1) / 100.0, p.Beta!.Value, 6));
        Assert.True(vae[^1].Beta < annealing.Beta.Cap);
        Assert.NotEmpty(dae);
        Assert.All(dae, p => Assert.Null(p.Beta));
    }

    private sealed class Collect(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }

    [Fact]
    public void Train_InterruptedAndResumed_EqualsUninterruptedRunBitForBit()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        var straight = new Trainer(Options(4)).Train(split, Config);

        var checkpoint = Path.Combine(_folder, "run.ckpt");
        var log = Path.Combine(_folder, "run.jsonl");
        new Trainer(Options(2, checkpoint, log)).Train(split, Config);
        var resumed = new Trainer(Options(4, checkpoint, log)).Train(split, Config);

        Assert.Equal(straight.BestEpoch, resumed.BestEpoch);
        Assert.Equal(straight.History.Select(h => h.Loss), resumed.History.Select(h => h.Loss));
        foreach (var (a, b) in straight.BestNetwork.OrderedParameters.Zip(resumed.BestNetwork.OrderedParameters))
            Assert.Equal(a.Tensor.data<float>().ToArray(), b.Tensor.data<float>().ToArray());
        Assert.Equal(4, File.ReadAllLines(log).Length);
    }

    [Fact]
    public void Train_Resumed_CountsTheEarlierAttemptsEpochsInItsElapsedTime()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        var checkpoint = Path.Combine(_folder, "elapsed.ckpt");
        var first = new Trainer(Options(2, checkpoint)).Train(split, Config);
        var reports = new List<TrainingProgress>();

        var resumed = new Trainer(Options(4, checkpoint)).Train(split, Config, new Collect(reports));

        // The first attempt's two epochs, training and validation, as its history recorded them.
        var earlier = TimeSpan.FromSeconds(first.History.Sum(h => h.Seconds + h.ValidationSeconds));
        Assert.True(earlier > TimeSpan.Zero);
        Assert.Equal(earlier, resumed.TimeBeforeResume);
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.True(r.Elapsed > earlier, $"epoch {r.Epoch}: elapsed {r.Elapsed} after {earlier} of earlier epochs"));
        // The last report (epoch 4's end) counts the earlier epochs and the whole of epoch 3, trained by this attempt.
        var third = resumed.History[2];
        Assert.True(reports[^1].Elapsed >= earlier + TimeSpan.FromSeconds(third.Seconds + third.ValidationSeconds));
        Assert.Equal(TimeSpan.Zero, first.TimeBeforeResume);
    }

    [Fact]
    public void Train_ItemItemTerm_InterruptedAndResumed_EqualsUninterruptedRunBitForBit()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        var config = new AutoencoderConfig { Kind = ModelKind.Dae, ItemCount = 60, HiddenDims = [], LatentDim = 8, ItemNeighbours = 10, NeighbourWeightDecay = 1e-3 };
        var straight = new Trainer(Options(4)).Train(split, config);

        var checkpoint = Path.Combine(_folder, "neighbours.ckpt");
        new Trainer(Options(2, checkpoint)).Train(split, config);
        var resumed = new Trainer(Options(4, checkpoint)).Train(split, config);

        Assert.Equal(straight.History.Select(h => h.Loss), resumed.History.Select(h => h.Loss));
        var names = straight.BestNetwork.OrderedParameters.Select(p => p.Name).ToArray();
        Assert.Equal(AutoencoderNetwork.NeighbourWeightName, names[^1]);
        foreach (var (a, b) in straight.BestNetwork.OrderedParameters.Zip(resumed.BestNetwork.OrderedParameters))
            Assert.Equal(a.Tensor.data<float>().ToArray(), b.Tensor.data<float>().ToArray());
        Assert.True(straight.BestNetwork.NeighbourWeight!.abs().max().item<float>() > 1e-3, "the term's weights did not move from zero");
    }

    /// <summary>The epoch a run with <paramref name="patience"/> stops after, from a full run's validation curve; 0 when it runs to the end.</summary>
    private static int StopEpoch(IReadOnlyList<EpochRecord> history, int patience)
    {
        int best = 0;
        double bestNdcg = double.NegativeInfinity;
        for (int e = 1; e <= history.Count; e++)
        {
            if (e - 1 - best >= patience) return e - 1;
            if (history[e - 1].ValidationNdcg100 > bestNdcg) (best, bestNdcg) = (e, history[e - 1].ValidationNdcg100);
        }
        return 0;
    }

    [Fact]
    public void Train_Patience_StopsWhereTheFullCurveSaysAndTestsTheBestEpochsModel()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        const int epochs = 14, patience = 2;
        var full = new Trainer(Options(epochs)).Train(split, Config);
        int stop = StopEpoch(full.History, patience);
        Assert.InRange(stop, patience + 1, epochs - 1);   // this run's curve does stop early

        var checkpoint = Path.Combine(_folder, "patience.ckpt");
        var early = new Trainer(Options(epochs, checkpoint) with { Patience = patience }).Train(split, Config);
        var shortRun = new Trainer(Options(stop)).Train(split, Config);

        Assert.True(early.StoppedEarly);
        Assert.False(full.StoppedEarly);
        Assert.Equal(full.History.Take(stop).Select(h => h.ValidationNdcg100), early.History.Select(h => h.ValidationNdcg100));
        Assert.Equal(stop - patience, early.BestEpoch);
        Assert.Equal(shortRun.BestEpoch, early.BestEpoch);
        var metric = RankingMetric.Ndcg(100);
        Assert.Equal(shortRun.Test.PerUser.Values(0).ToArray(), early.Test.PerUser.Values(0).ToArray());
        Assert.Equal(shortRun.Test[metric].Mean, early.Test[metric].Mean);

        // Started again from its checkpoint, the stopped run trains nothing more and gives the same model.
        var again = new Trainer(Options(epochs, checkpoint) with { Patience = patience }).Train(split, Config);
        Assert.True(again.StoppedEarly);
        Assert.Equal(stop, again.History.Count);
        Assert.Equal(early.Test[metric].Mean, again.Test[metric].Mean);
    }

    [Fact]
    public void Options_NegativePatience_IsRefused() =>
        Assert.Contains("Patience", Assert.Throws<ArgumentException>(() => (Options(3) with { Patience = -1 }).Validate()).Message);

    [Fact]
    public void Train_ItemItemTerm_WithItemShards_IsRefused()
    {
        var split = PlantedSplit.Create(60, 10, 60, 3, seed: 8);
        var config = new AutoencoderConfig { Kind = ModelKind.Dae, ItemCount = 60, HiddenDims = [], LatentDim = 8, ItemNeighbours = 10 };
        var error = Assert.Throws<ArgumentException>(() => new Trainer(Options(1) with { ItemShards = 2 }).Train(split, config));
        Assert.Contains("item shards", error.Message);
    }

    [Fact]
    public void Train_WithALogButNoCheckpoint_StartsTheLogAfresh()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        var checkpoint = Path.Combine(_folder, "none.ckpt");
        var log = Path.Combine(_folder, "stale.jsonl");
        // A killed run's first epoch line, its checkpoint never written (or a disk that filled up), and a line of garbage.
        File.WriteAllText(log, "{\"Epoch\":1,\"Loss\":-1}" + Environment.NewLine + "GARBAGE" + Environment.NewLine);

        var run = new Trainer(Options(2, checkpoint, log)).Train(split, Config);

        var logged = File.ReadAllLines(log).Select(l => System.Text.Json.JsonSerializer.Deserialize<EpochRecord>(l)!).ToArray();
        Assert.Equal([1, 2], logged.Select(r => r.Epoch));
        Assert.Equal(run.History.Select(h => h.Loss), logged.Select(r => r.Loss));
    }

    [Fact]
    public void Train_ResumedWithTheLogAheadOfTheCheckpoint_LogsEachEpochOnceAsTrained()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        var checkpoint = Path.Combine(_folder, "ahead.ckpt");
        var log = Path.Combine(_folder, "ahead.jsonl");
        new Trainer(Options(2, checkpoint, log)).Train(split, Config);
        // A run killed after writing epoch 3's log line but before its checkpoint.
        File.AppendAllText(log, "{\"Epoch\":3,\"Loss\":-1}" + Environment.NewLine);

        var resumed = new Trainer(Options(4, checkpoint, log)).Train(split, Config);

        var logged = File.ReadAllLines(log).Select(l => System.Text.Json.JsonSerializer.Deserialize<EpochRecord>(l)!).ToArray();
        Assert.Equal([1, 2, 3, 4], logged.Select(r => r.Epoch));
        Assert.Equal(resumed.History.Select(h => h.Loss), logged.Select(r => r.Loss));
    }

    [Fact]
    public void Train_PlantedGroups_BeatsPopularityRankingOnTestNdcg()
    {
        var split = PlantedSplit.Create(300, 40, 60, 3, seed: 9);
        var result = new Trainer(Options(15)).Train(split, Config);
        using var popularityScorer = PopularityScorer.Fit(split.Train);
        var popularity = new RankingEvaluator().Evaluate(popularityScorer, split.Test);
        var metric = RankingMetric.Ndcg(100);
        Assert.True(result.Test[metric].Mean > popularity[metric].Mean + 0.05,
            $"VAE {result.Test[metric].Mean:F3} vs popularity {popularity[metric].Mean:F3}");
        Assert.InRange(result.BestEpoch, 1, 15);
    }

    [Fact]
    public void Restore_CheckpointOfOtherModel_IsRefusedWithReason()
    {
        var split = PlantedSplit.Create(100, 10, 60, 3, seed: 8);
        var checkpoint = Path.Combine(_folder, "other.ckpt");
        new Trainer(Options(1, checkpoint)).Train(split, Config);
        var other = Config with { LatentDim = 4 };
        var error = Assert.Throws<CheckpointFormatException>(() => new Trainer(Options(2, checkpoint)).Train(split, other));
        Assert.Contains("model settings differ", error.Message);
    }

    [Fact]
    public void Restore_CorruptedCheckpoint_IsRefusedWithChecksumError()
    {
        var split = PlantedSplit.Create(100, 10, 60, 3, seed: 8);
        var checkpoint = Path.Combine(_folder, "corrupt.ckpt");
        new Trainer(Options(1, checkpoint)).Train(split, Config);
        var bytes = File.ReadAllBytes(checkpoint);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(checkpoint, bytes);
        var error = Assert.Throws<CheckpointFormatException>(() => new Trainer(Options(2, checkpoint)).Train(split, Config));
        Assert.Contains("checksum mismatch", error.Message);
        Assert.Contains(checkpoint, error.Message);
    }
}
