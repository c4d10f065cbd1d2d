using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;
using Xunit;

namespace VaeCfCluster.Model.Tests.RecVae;

public sealed class RecVaeTrainerTests
{
    private static readonly RecVaeOptions Small = new() { Hidden = 32, Latent = 8, EncoderLayers = 3, BatchSize = 64, Epochs = 6, Seed = 11 };

    [Fact]
    public void Train_PlantedGroups_BeatsPopularityAndKeepsTheBestValidationEpoch()
    {
        var split = PlantedSplit.Create(300, 40, 60, 3, seed: 9);
        using var result = new RecVaeTrainer(Small).Train(split);
        var ndcg = RankingMetric.Ndcg(100);
        var popularity = new RankingEvaluator().Evaluate(PopularityScorer.Fit(split.Train), split.Test)[ndcg].Mean;
        Assert.True(result.Test[ndcg].Mean > popularity + 0.05, $"RecVAE {result.Test[ndcg].Mean:F4} vs popularity {popularity:F4}");
        Assert.Equal(6, result.History.Count);
        Assert.Equal(result.History.Max(h => h.ValidationNdcg100), result.BestValidationNdcg100);
        Assert.Equal(result.History.First(h => h.ValidationNdcg100 == result.BestValidationNdcg100).Epoch, result.BestEpoch);
        // The returned weights are the best epoch's: evaluating them again gives its validation NDCG@100.
        Assert.Equal(result.BestValidationNdcg100, new RankingEvaluator([ndcg]).Evaluate(result.BestNetwork, split.Validation)[ndcg].Mean, 6);
    }

    [Fact]
    public void Train_SameSeed_SameResult_AndEveryAblationTrains()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        var options = Small with { Epochs = 2 };
        using var a = new RecVaeTrainer(options).Train(split);
        using var b = new RecVaeTrainer(options).Train(split);
        Assert.Equal(a.History.Select(h => h.Loss), b.History.Select(h => h.Loss));
        Assert.Equal(a.Test.Summaries.Select(s => s.Mean), b.Test.Summaries.Select(s => s.Mean));

        var ablations = new[]
        {
            options with { Prior = RecVaePriorKind.Standard },
            options with { Gamma = 0, Beta = 0.2 },
            options with { Alternating = false },
            options with { Encoder = RecVaeEncoderKind.MultVae },
        };
        foreach (var ablation in ablations)
        {
            using var run = new RecVaeTrainer(ablation).Train(split);
            Assert.NotEqual(a.History[^1].Loss, run.History[^1].Loss);
            Assert.All(run.History, h => Assert.True(double.IsFinite(h.Loss) && h.ValidationNdcg100 > 0));
        }
    }

    [Fact]
    public void Step_EncoderPassLeavesTheDecoder_DecoderPassLeavesTheEncoder()
    {
        var split = PlantedSplit.Create(100, 10, 60, 3, seed: 8);
        using var network = new RecVaeNetwork(split.ItemCount, Small, Small.Seed);
        using var encoderAdam = RecVaeTrainer.NewEncoderAdam(network, Small);
        using var decoderAdam = RecVaeTrainer.NewDecoderAdam(network, Small);
        var executor = new RecVaeLocalExecutor(network, encoderAdam, decoderAdam, split);
        void Pass(RecVaePhase phase, long pass)
        {
            var rows = Enumerable.Range(0, split.Train.RowCount).ToArray();
            for (int first = 0; first < rows.Length; first += Small.BatchSize)
                executor.StepAsync(new RecVaeStep(pass, rows[first..Math.Min(rows.Length, first + Small.BatchSize)], phase, 0, false), default).GetAwaiter().GetResult();
        }

        var before = network.Snapshot();
        Pass(RecVaePhase.Encoder, 1);
        var afterEncoder = network.Snapshot();
        Pass(RecVaePhase.Decoder, 2);
        var afterDecoder = network.Snapshot();
        long batches = (split.Train.RowCount + Small.BatchSize - 1) / Small.BatchSize;
        Assert.Equal((batches, batches), (encoderAdam.StepCount, decoderAdam.StepCount));

        int encoderCount = network.Encoder.Parameters.Count;
        for (int i = 0; i < before.Length; i++)
        {
            bool encoder = i < encoderCount;
            Assert.Equal(!encoder, Same(before[i], afterEncoder[i]));
            Assert.Equal(encoder, Same(afterEncoder[i], afterDecoder[i]));
        }
        Assert.True(network.Parameters.All(p => p.requires_grad), "every parameter is trainable again after a pass");
    }

    [Fact]
    public void Train_ResumedFromItsCheckpoint_EqualsAnUninterruptedRun_AndOtherSettingsAreRefused()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        var folder = Directory.CreateTempSubdirectory("vaecf-recvae-").FullName;
        try
        {
            var checkpoint = Path.Combine(folder, "checkpoint.recvae");
            var options = Small with { Epochs = 3 };
            using var straight = new RecVaeTrainer(options).Train(split);
            TimeSpan earlier;
            using (var first = new RecVaeTrainer(options with { Epochs = 2 }).Train(split, checkpointPath: checkpoint))
            {
                earlier = TimeSpan.FromSeconds(first.History.Sum(h => h.Seconds));
                Assert.Equal(TimeSpan.Zero, first.TimeBeforeResume);
            }
            var lines = new List<string>();
            using var resumed = new RecVaeTrainer(options).Train(split, lines.Add, checkpointPath: checkpoint);
            Assert.StartsWith("resuming after epoch 2", lines[0]);
            // Its training time counts the first attempt's two epochs, and the third it trained itself.
            Assert.Equal(earlier, resumed.TimeBeforeResume);
            Assert.True(resumed.TrainingSeconds >= resumed.History.Sum(h => h.Seconds), $"{resumed.TrainingSeconds} s for {resumed.History.Sum(h => h.Seconds)} s of epochs");
            Assert.Single(lines, l => l.StartsWith("epoch "));
            Assert.Equal(straight.History.Select(h => h.Loss), resumed.History.Select(h => h.Loss));
            Assert.Equal(straight.History.Select(h => h.ValidationNdcg100), resumed.History.Select(h => h.ValidationNdcg100));
            Assert.Equal(straight.Test.Summaries.Select(m => m.Mean), resumed.Test.Summaries.Select(m => m.Mean));

            var other = Assert.Throws<CheckpointFormatException>(() => new RecVaeTrainer(options with { Gamma = 0.01 }).Train(split, checkpointPath: checkpoint));
            Assert.Contains("other RecVAE settings", other.Message);
            var otherData = Assert.Throws<CheckpointFormatException>(() =>
                new RecVaeTrainer(options).Train(PlantedSplit.Create(150, 20, 60, 3, seed: 9), checkpointPath: checkpoint));
            Assert.Contains("other data", otherData.Message);
            var bytes = File.ReadAllBytes(checkpoint);
            bytes[bytes.Length / 2] ^= 0x40;
            File.WriteAllBytes(checkpoint, bytes);
            Assert.Contains("checksum", Assert.Throws<CheckpointFormatException>(() => new RecVaeTrainer(options).Train(split, checkpointPath: checkpoint)).Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool Same(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) => a.eq(b).all().item<bool>();

    [Fact]
    public void Options_OutOfRange_NameTheSetting()
    {
        Assert.Contains("MixtureWeights", Assert.Throws<ArgumentException>(() => (Small with { MixtureWeights = [0.5, 0.5, 0.5] }).Validate()).Message);
        Assert.Contains("Gamma", Assert.Throws<ArgumentException>(() => (Small with { Gamma = double.NaN }).Validate()).Message);
        Assert.Contains("DropoutRate", Assert.Throws<ArgumentException>(() => (Small with { DropoutRate = 1 }).Validate()).Message);
    }
}
