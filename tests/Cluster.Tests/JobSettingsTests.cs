using System.Text.Json;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>The typed wire forms of the model and training settings carry every run-defining field both ways.</summary>
public sealed class JobSettingsTests
{
    [Fact]
    public void ModelSettings_RoundTrip_GivesTheSameConfiguration()
    {
        var config = new AutoencoderConfig
        {
            Kind = ModelKind.Dae, Likelihood = Likelihood.Gaussian, ItemCount = 123, HiddenDims = [64, 32], LatentDim = 7,
            DropoutRate = 0.3, WeightDecay = 0.01, GaussianClickConfidence = 4, GaussianUnclickedConfidence = 0.5,
        };
        var back = config.ToSettings().ToConfig();
        Assert.Equal(JsonSerializer.Serialize(config), JsonSerializer.Serialize(back));
        Assert.True(config.ToSettings().SameAs(back.ToSettings()));
        Assert.False(config.ToSettings().SameAs((config with { HiddenDims = [64, 33] }).ToSettings()));

        var emphasized = config with { Likelihood = Likelihood.Multinomial, KeptClickWeight = 0.25 };
        Assert.Equal(0.25, emphasized.ToSettings().ToConfig().KeptClickWeight);
        Assert.False(emphasized.ToSettings().SameAs((emphasized with { KeptClickWeight = 1 }).ToSettings()));

        var linear = config with { CodeActivation = CodeActivation.Linear };
        Assert.Equal(CodeActivation.Linear, linear.ToSettings().ToConfig().CodeActivation);
        Assert.False(linear.ToSettings().SameAs(config.ToSettings()));
    }

    [Fact]
    public void ModelSettings_ItemItemTerm_RoundTrips()
    {
        var config = new AutoencoderConfig { Kind = ModelKind.Dae, ItemCount = 50, HiddenDims = [], ItemNeighbours = 5, NeighbourWeightDecay = 0.25 };
        var back = config.ToSettings().ToConfig();
        Assert.Equal(5, back.ItemNeighbours);
        Assert.Equal(0.25, back.NeighbourWeightDecay);
        Assert.Equal(JsonSerializer.Serialize(config), JsonSerializer.Serialize(back));
        Assert.False(config.ToSettings().SameAs((config with { ItemNeighbours = 6 }).ToSettings()));
        Assert.False(config.ToSettings().SameAs((config with { NeighbourWeightDecay = 0.5 }).ToSettings()));
    }

    [Fact]
    public void TrainingSettings_RoundTrip_KeepsEveryRunDefiningSetting()
    {
        var options = new TrainerOptions
        {
            Epochs = 7, Patience = 4, BatchSize = 33, Seed = 12, EvaluationBatchSize = 99,
            Adam = new AdamOptions { LearningRate = 0.01, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-6, CosineDecaySteps = 55 },
            Beta = new BetaScheduleOptions { Mode = BetaMode.Auto, Cap = 0.5, TotalAnnealSteps = 1234, Constant = 0.3, AutoPatienceEpochs = 2 },
            CheckpointPath = "ignored.vaecf", Threads = 3, Precision = MatmulPrecision.Bf16,
        };
        var back = options.ToSettings().ToOptions();
        Assert.Equal(JsonSerializer.Serialize(options with { CheckpointPath = null, Threads = 0 }), JsonSerializer.Serialize(back));
        Assert.Equal(options.ToSettings(), back.ToSettings());
        Assert.Equal(MatmulPrecision.Bf16, back.Precision);
        Assert.Equal(55, back.Adam.CosineDecaySteps);
    }

    [Fact]
    public void AdamSettings_RoundTrip_KeepsEveryField()
    {
        var adam = new AdamOptions { LearningRate = 0.02, Beta1 = 0.7, Beta2 = 0.95, Epsilon = 1e-7, CosineDecaySteps = 321 };
        Assert.Equal(adam, adam.ToSettings().ToOptions());
        Assert.Equal(new AdamSettings(0.02, 0.7, 0.95, 1e-7, 321), adam.ToSettings());
    }

    [Theory]
    [InlineData(MatmulPrecision.Fp32)]
    [InlineData(MatmulPrecision.Tf32)]
    [InlineData(MatmulPrecision.Bf16)]
    public void Precision_RoundTrip_IsTheSame(MatmulPrecision precision) =>
        Assert.Equal(precision, precision.ToSettings().ToPrecision());
}
