using System.CommandLine;
using System.Globalization;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Client.Commands;

/// <summary>Options that choose the autoencoder (Section 4.3 of the paper gives the defaults).</summary>
internal sealed class ModelOptions
{
    public Option<ModelKind> Model { get; } = new("--model")
    {
        Description = "vae (Mult-VAE^PR, the default), dae (Mult-DAE) or recvae (RecVAE, Shenbin et al. 2020; trained in this process, or as a cluster job with --cluster or --workers/--shards/--evaluators; see the RecVAE options).",
        DefaultValueFactory = _ => ModelKind.Vae,
    };

    public Option<Likelihood> Likelihood { get; } = new("--likelihood")
    {
        Description = "multinomial (the paper's, default), gaussian or logistic (Table 4).",
        DefaultValueFactory = _ => global::VaeCfCluster.Model.Networks.Likelihood.Multinomial,
    };

    public Option<string?> Hidden { get; } = new("--hidden")
    {
        Description = "Hidden layer widths between input and latent layer, comma-separated, or 'none'. " +
                      "Default: 600 for the VAE ([I-600-200-600-I]), none for the DAE ([I-200-I]).",
    };

    public Option<int> Latent { get; } = new("--latent")
    {
        Description = "Latent dimension K.",
        DefaultValueFactory = _ => 200,
    };

    public Option<double> Dropout { get; } = new("--dropout")
    {
        Description = "Input dropout rate during training (keep probability 1 - rate).",
        DefaultValueFactory = _ => 0.5,
    };

    public Option<double?> WeightDecay { get; } = new("--weight-decay")
    {
        Description = "λ in λ·Σ‖W‖². Default: 0 for the VAE, 0.01 for the DAE.",
    };

    public Option<double> GaussianClickConfidence { get; } = new("--c1")
    {
        Description = "Gaussian likelihood: confidence on clicks (c1 > c0).",
        DefaultValueFactory = _ => 10.0,
    };

    public Option<double> GaussianUnclickedConfidence { get; } = new("--c0")
    {
        Description = "Gaussian likelihood: confidence on non-clicks.",
        DefaultValueFactory = _ => 1.0,
    };

    public Option<double> KeptClickWeight { get; } = new("--kept-click-weight")
    {
        Description = "Multinomial likelihood weight of the clicks dropout kept in the input (dropped clicks weigh 1). " +
                      "1 (default) is the paper's loss; below 1 the model learns to predict the dropped clicks rather than copy the " +
                      "kept ones (emphasized denoising, Steck 2020); 0 scores the dropped clicks alone. Needs dropout.",
        DefaultValueFactory = _ => 1.0,
    };

    public Option<CodeActivation> CodeActivation { get; } = new("--code-activation")
    {
        Description = "Mult-DAE's code layer: tanh (the paper's, default) or linear (a low-rank linear model under the softmax, " +
                      "whose scores add up over a user's clicks instead of saturating). DAE only: the VAE's code is linear already.",
        DefaultValueFactory = _ => global::VaeCfCluster.Model.Networks.CodeActivation.Tanh,
    };

    public Option<int> ItemNeighbours { get; } = new("--item-neighbours")
    {
        Description = "Adds an item-item term to the decoder's scores: each clicked item adds learned weights to its K most " +
                      "co-clicked items (never itself), the full-rank item-to-item part that a closed form such as EASE fits, at " +
                      "items × K weights. 0 (default) is the paper's model. Not with --item-shards.",
        DefaultValueFactory = _ => 0,
    };

    public Option<double> NeighbourWeightDecay { get; } = new("--neighbour-weight-decay")
    {
        Description = "λ_N in λ_N·Σ N² over the item-item term's weights (--item-neighbours). Default 0.",
        DefaultValueFactory = _ => 0.0,
    };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Model, Likelihood, Hidden, Latent, Dropout, WeightDecay, KeptClickWeight, CodeActivation, ItemNeighbours, NeighbourWeightDecay, GaussianClickConfidence, GaussianUnclickedConfidence })
            command.Options.Add(o);
    }

    /// <summary>The model configuration for <paramref name="itemCount"/> items.</summary>
    public AutoencoderConfig Resolve(ParseResult result, int itemCount)
    {
        var kind = result.GetValue(Model);
        var hiddenText = result.GetValue(Hidden);
        int[] hidden = hiddenText is null
            ? (kind == ModelKind.Vae ? [600] : [])
            : hiddenText.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) || hiddenText.Trim().Length == 0
                ? []
                : hiddenText.Split(',').Select(ParseWidth).ToArray();
        var config = new AutoencoderConfig
        {
            Kind = kind,
            Likelihood = result.GetValue(Likelihood),
            ItemCount = itemCount,
            HiddenDims = hidden,
            LatentDim = result.GetValue(Latent),
            DropoutRate = result.GetValue(Dropout),
            WeightDecay = result.GetValue(WeightDecay) ?? (kind == ModelKind.Dae ? 0.01 : 0.0),
            GaussianClickConfidence = result.GetValue(GaussianClickConfidence),
            GaussianUnclickedConfidence = result.GetValue(GaussianUnclickedConfidence),
            KeptClickWeight = result.GetValue(KeptClickWeight),
            CodeActivation = result.GetValue(CodeActivation),
            ItemNeighbours = result.GetValue(ItemNeighbours),
            NeighbourWeightDecay = result.GetValue(NeighbourWeightDecay),
        };
        config.Validate();
        return config;
    }

    private static int ParseWidth(string text) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int width) && width > 0
            ? width
            : throw new ArgumentException($"--hidden: '{text.Trim()}' is not a positive layer width.");
}
