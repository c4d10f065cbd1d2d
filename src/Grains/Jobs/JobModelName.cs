using VaeCfCluster.Grains.Abstractions.Jobs;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>The name a job's status gives its model, as the studies name them: "Mult-VAE", "Gaussian-DAE", "RecVAE".</summary>
internal static class JobModelName
{
    /// <summary>The model <paramref name="spec"/> trains.</summary>
    public static string Of(TrainingJobSpec spec)
    {
        if (spec.RecVae is not null) return "RecVAE";
        string likelihood = spec.Model.Likelihood switch
        {
            ReconstructionLikelihood.Multinomial => "Mult",
            ReconstructionLikelihood.Gaussian => "Gaussian",
            _ => "Logistic",
        };
        return likelihood + (spec.Model.Kind == AutoencoderKind.Vae ? "-VAE" : "-DAE");
    }
}
