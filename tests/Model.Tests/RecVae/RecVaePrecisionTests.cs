using System.Text.Json;
using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.RecVae;

/// <summary>RecVAE with bfloat16 products (<see cref="RecVaeOptions.Precision"/>): close to float32, and it trains as well.</summary>
public sealed class RecVaePrecisionTests
{
    private static readonly RecVaeOptions Small = new() { Hidden = 32, Latent = 8, EncoderLayers = 3, BatchSize = 64, Epochs = 6, Seed = 11 };

    [Fact]
    public void Score_Bf16_DiffersFromFp32ByBfloat16Rounding()
    {
        var split = PlantedSplit.Create(300, 40, 60, 3, seed: 9);
        using var fp32 = new RecVaeNetwork(60, Small, 5);
        using var bf16 = new RecVaeNetwork(60, Small with { Precision = MatmulPrecision.Bf16 }, 5);
        using var a = fp32.Score(split.Train, 0, 100);
        using var b = bf16.Score(split.Train, 0, 100);

        // bfloat16 keeps 8 significant bits (relative rounding 2^-9 = 0.2 %); through four products and the layer norms
        // the scores move by a few tenths of a percent of their range, never by as much as float32 noise would not.
        double range = a.abs().max().item<float>();
        double worst = a.sub(b).abs().max().item<float>();
        Assert.InRange(worst / range, 1e-4, 3e-2);
        Assert.Equal(ScalarType.Float32, b.dtype);
    }

    [Fact]
    public void Loss_Bf16_WithinAPercentOfFp32()
    {
        var split = PlantedSplit.Create(300, 40, 60, 3, seed: 9);
        using var fp32 = new RecVaeNetwork(60, Small, 5);
        using var bf16 = new RecVaeNetwork(60, Small with { Precision = MatmulPrecision.Bf16 }, 5);
        var rows = Enumerable.Range(0, 64).ToArray();
        var batch = SparseBatch.Create(split.Train, rows, 0.5, 1, 1);
        using var noise = randn(64, Small.Latent, generator: new Generator(4));

        double a = fp32.Loss(batch, batch, noise, withKl: true).Loss.item<float>();
        double b = bf16.Loss(batch, batch, noise, withKl: true).Loss.item<float>();

        Assert.NotEqual(a, b);
        Assert.Equal(a, b, a * 1e-2);
    }

    [Fact]
    public void Train_Bf16_BeatsPopularityAndMatchesFp32()
    {
        var split = PlantedSplit.Create(300, 40, 60, 3, seed: 9);
        var ndcg = RankingMetric.Ndcg(100);
        using var fp32 = new RecVaeTrainer(Small).Train(split);
        using var bf16 = new RecVaeTrainer(Small with { Precision = MatmulPrecision.Bf16 }).Train(split);
        double popularity = new RankingEvaluator().Evaluate(PopularityScorer.Fit(split.Train), split.Test)[ndcg].Mean;

        Assert.True(bf16.Test[ndcg].Mean > popularity + 0.05, $"bf16 RecVAE {bf16.Test[ndcg].Mean:F4} vs popularity {popularity:F4}");
        Assert.True(Math.Abs(bf16.Test[ndcg].Mean - fp32.Test[ndcg].Mean) <= fp32.Test[ndcg].StandardError,
            $"bf16 {bf16.Test[ndcg].Mean:F4} vs fp32 {fp32.Test[ndcg].Mean:F4} ± {fp32.Test[ndcg].StandardError:F4}");
    }

    [Fact]
    public void Settings_Fp32LeftOutOfTheJson_Bf16WrittenAndReadBack()
    {
        string fp32 = JsonSerializer.Serialize(Small);
        string bf16 = JsonSerializer.Serialize(Small with { Precision = MatmulPrecision.Bf16 });

        Assert.DoesNotContain("Precision", fp32);
        Assert.Contains("\"Precision\":\"Bf16\"", bf16);
        Assert.Equal(MatmulPrecision.Bf16, JsonSerializer.Deserialize<RecVaeOptions>(bf16)!.Precision);
        Assert.Equal(MatmulPrecision.Fp32, JsonSerializer.Deserialize<RecVaeOptions>(fp32)!.Precision);
    }

    [Fact]
    public void Checkpoint_OfAnFp32Run_ResumedInBf16_IsRefusedAsOtherSettings()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        var folder = Directory.CreateTempSubdirectory("vaecf-recvae-precision-").FullName;
        try
        {
            var checkpoint = Path.Combine(folder, "checkpoint.recvae");
            using (new RecVaeTrainer(Small with { Epochs = 1 }).Train(split, checkpointPath: checkpoint)) { }

            var e = Assert.Throws<CheckpointFormatException>(() =>
                new RecVaeTrainer(Small with { Epochs = 2, Precision = MatmulPrecision.Bf16 }).Train(split, checkpointPath: checkpoint));

            Assert.Contains("other RecVAE settings", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ModelFile_OfABf16Run_ScoresWithBf16Products()
    {
        var split = PlantedSplit.Create(150, 20, 60, 3, seed: 8);
        var folder = Directory.CreateTempSubdirectory("vaecf-recvae-precision-").FullName;
        try
        {
            using var trained = new RecVaeTrainer(Small with { Epochs = 1, Precision = MatmulPrecision.Bf16 }).Train(split);
            var path = Path.Combine(folder, "model.recvae");
            RecVaeModelFile.Save(path, trained.BestNetwork, split.ItemIds, trained.BestEpoch, trained.BestValidationNdcg100);

            using var loaded = RecVaeModelFile.Load(path).Network;

            Assert.Equal(MatmulPrecision.Bf16, loaded.Options.Precision);
            Assert.Equal(trained.BestValidationNdcg100, new RankingEvaluator([RankingMetric.Ndcg(100)]).Evaluate(loaded, split.Validation)[RankingMetric.Ndcg(100)].Mean, 6);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
