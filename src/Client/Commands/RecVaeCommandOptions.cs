using System.CommandLine;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// The options of <c>vaecf train --model recvae</c> beyond the shared ones (--hidden, --latent, --dropout, --epochs,
/// --batch-size, --lr, --beta, --seed, --threads). Each RecVAE component has its own switch, for the ablation.
/// </summary>
internal sealed class RecVaeCommandOptions
{
    public Option<double> Gamma { get; } = new("--gamma")
    {
        Description = "RecVAE: user-specific KL weight beta_u = gamma * (the user's clicks); 0 uses the constant --beta for every user.",
        DefaultValueFactory = _ => 0.005,
    };

    public Option<RecVaePriorKind> Prior { get; } = new("--prior")
    {
        Description = "RecVAE: composite (standard normal + the previous encoder's posterior + a wide normal, default) or standard (N(0, I)).",
        DefaultValueFactory = _ => RecVaePriorKind.Composite,
    };

    public Option<bool> NoAlternation { get; } = new("--no-alternation")
    {
        Description = "RecVAE: update encoder and decoder together every step, instead of encoder passes on dropped-out input " +
                      "followed by decoder passes on the full input.",
    };

    public Option<int> EncoderEpochs { get; } = new("--encoder-epochs")
    {
        Description = "RecVAE: encoder passes per epoch when alternating.",
        DefaultValueFactory = _ => 3,
    };

    public Option<int> DecoderEpochs { get; } = new("--decoder-epochs")
    {
        Description = "RecVAE: decoder passes per epoch when alternating.",
        DefaultValueFactory = _ => 1,
    };

    public Option<RecVaeEncoderKind> Encoder { get; } = new("--encoder")
    {
        Description = "RecVAE: dense (densely connected layers with swish and layer norm, default) or multvae (one tanh layer).",
        DefaultValueFactory = _ => RecVaeEncoderKind.Dense,
    };

    public Option<int> EncoderLayers { get; } = new("--encoder-layers")
    {
        Description = "RecVAE: layers of the dense encoder.",
        DefaultValueFactory = _ => 5,
    };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Gamma, Prior, NoAlternation, EncoderEpochs, DecoderEpochs, Encoder, EncoderLayers })
            command.Options.Add(o);
    }

    /// <summary>The RecVAE settings from this command line; shared options that do not apply to RecVAE are refused.</summary>
    public RecVaeOptions Resolve(ParseResult result, ModelOptions model, TrainingOptions training)
    {
        if (result.GetValue(model.Likelihood) != Likelihood.Multinomial)
            throw new ArgumentException("--model recvae has the multinomial likelihood only (drop --likelihood).");
        if (result.GetResult(model.WeightDecay) is { Implicit: false })
            throw new ArgumentException("--weight-decay does not apply to --model recvae (its regularisers are the prior and dropout).");
        if (result.GetValue(training.ItemShards) > 0)
            throw new ArgumentException("--item-shards does not apply to --model recvae.");
        if (result.GetValue(training.LearningRateSchedule) != LearningRateSchedule.Constant)
            throw new ArgumentException("--lr-schedule does not apply to --model recvae (its Adam steps are constant).");
        var hiddenText = result.GetValue(model.Hidden);
        int hidden = 600;
        if (hiddenText is not null && !int.TryParse(hiddenText.Trim(), out hidden))
            throw new ArgumentException($"--hidden for --model recvae is one layer width (every encoder layer has it), not '{hiddenText}'.");
        var options = new RecVaeOptions
        {
            Hidden = hidden,
            Latent = result.GetValue(model.Latent),
            DropoutRate = result.GetValue(model.Dropout),
            Encoder = result.GetValue(Encoder),
            EncoderLayers = result.GetValue(EncoderLayers),
            Prior = result.GetValue(Prior),
            Gamma = result.GetValue(Gamma),
            Beta = result.GetResult(training.Beta) is null or { Implicit: true } ? 0.2 : result.GetValue(training.Beta),
            Alternating = !result.GetValue(NoAlternation),
            EncoderEpochs = result.GetValue(EncoderEpochs),
            DecoderEpochs = result.GetValue(DecoderEpochs),
            LearningRate = result.GetValue(training.LearningRate) ?? 5e-4,
            BatchSize = result.GetValue(training.BatchSize),
            Epochs = result.GetValue(training.Epochs) ?? 50,
            Patience = result.GetValue(training.Patience),
            Seed = result.GetValue(training.Seed),
            Precision = result.GetValue(training.Precision),
        };
        options.Validate();
        return options;
    }
}
