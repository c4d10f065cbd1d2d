using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>The model a job's status names, and whether its β is shown.</summary>
public sealed class JobModelNameTests
{
    private static TrainingJobSpec Spec(AutoencoderKind kind, ReconstructionLikelihood likelihood, string? recVae = null) =>
        new("ml-1m", new ModelSettings { Kind = kind, Likelihood = likelihood, ItemCount = 10 }, new TrainingSettings(), new ClusterSettings(),
            100, "00", Fresh: false, recVae);

    [Theory]
    [InlineData(AutoencoderKind.Vae, ReconstructionLikelihood.Multinomial, "Mult-VAE", true)]
    [InlineData(AutoencoderKind.Dae, ReconstructionLikelihood.Multinomial, "Mult-DAE", false)]
    [InlineData(AutoencoderKind.Vae, ReconstructionLikelihood.Gaussian, "Gaussian-VAE", true)]
    [InlineData(AutoencoderKind.Dae, ReconstructionLikelihood.Logistic, "Logistic-DAE", false)]
    public void Of_Autoencoder_NamesLikelihoodAndKind(AutoencoderKind kind, ReconstructionLikelihood likelihood, string name, bool annealsBeta)
    {
        string model = JobModelName.Of(Spec(kind, likelihood));

        Assert.Equal(name, model);
        Assert.Equal(annealsBeta, new TrainingJobStatus { JobId = "j", Model = model }.AnnealsBeta);
    }

    [Fact]
    public void Of_RecVaeSpec_IsRecVaeWithoutBeta()
    {
        string model = JobModelName.Of(Spec(AutoencoderKind.Vae, ReconstructionLikelihood.Multinomial, recVae: "{}"));

        Assert.Equal("RecVAE", model);
        Assert.False(new TrainingJobStatus { JobId = "j", Model = model }.AnnealsBeta);
    }

    [Fact]
    public void StatusStoredBeforeTheModelField_ShowsBetaAsBefore() =>
        Assert.True(new TrainingJobStatus { JobId = "j" }.AnnealsBeta);
}
