using System.Text.RegularExpressions;

namespace VaeCfCluster.Client.Console;

/// <summary>
/// The model library's validation messages name its settings (<c>DropoutRate must be in [0, 1)</c>); on the command
/// line they name the option instead (<c>--dropout must be in [0, 1)</c>), in one line, without .NET's
/// "(Parameter '...')" and "Actual value was ..." additions.
/// </summary>
internal static partial class SettingNames
{
    // Longer names first, so "EvaluationBatchSize" is not read as "BatchSize"; names that mean other things in other
    // commands (ItemCount, UserCount) are left as they are.
    private static readonly (Regex Pattern, string Option)[] Options = new (string Setting, string Option)[]
    {
        ("Beta TotalAnnealSteps", "--anneal-steps"), ("Beta AutoPatienceEpochs", "--beta-patience"), ("Beta Cap", "--beta-cap"),
        ("Beta Constant", "--beta"), ("TotalAnnealSteps", "--anneal-steps"), ("AutoPatienceEpochs", "--beta-patience"), ("BetaCap", "--beta-cap"),
        ("BetaConstant", "--beta"), ("BetaMode", "--beta-mode"), ("training Seed", "training --seed"),
        ("cluster Workers", "cluster --workers"), ("cluster ParameterShards", "cluster --shards"), ("cluster Evaluators", "cluster --evaluators"), ("RecVAE Hidden", "--hidden"), ("RecVAE Latent", "--latent"),
        ("EvaluationBatchSize", "--eval-batch-size"), ("GaussianClickConfidence", "--c1"), ("GaussianUnclickedConfidence", "--c0"),
        ("NeighbourWeightDecay", "--neighbour-weight-decay"), ("KeptClickWeight", "--kept-click-weight"), ("ItemNeighbours", "--item-neighbours"),
        ("HeldOutUserCount", "--heldout-users"), ("RatingThreshold", "--min-rating"), ("MinUserCount", "--min-user-clicks"),
        ("CodeActivation", "--code-activation"), ("EncoderLayers", "--encoder-layers"), ("EncoderEpochs", "--encoder-epochs"),
        ("DecoderEpochs", "--decoder-epochs"), ("DropoutRate", "--dropout"), ("LearningRate", "--lr"), ("WeightDecay", "--weight-decay"),
        ("LatentDim", "--latent"), ("HiddenDims", "--hidden"), ("BatchSize", "--batch-size"), ("ItemShards", "--item-shards"),
        ("UserColumn", "--user-column"), ("ItemColumn", "--item-column"), ("RatingColumn", "--rating-column"), ("Delimiter", "--delimiter"),
        ("Epochs", "--epochs"), ("Patience", "--patience"), ("Threads", "--threads"), ("Precision", "--precision"), ("Gamma", "--gamma"),
    }.Select(p => (new Regex($@"(?<![\w-]){Regex.Escape(p.Setting)}(?!\w)"), p.Option)).ToArray();

    /// <summary><paramref name="e"/>'s message for the command line: option names, one line.</summary>
    public static string ForCommandLine(Exception e)
    {
        string message = e.Message.Split('\n', 2)[0].TrimEnd();
        if (e is ArgumentException { ParamName: { } name }) message = message.Replace($" (Parameter '{name}')", "");
        foreach (var (pattern, option) in Options) message = pattern.Replace(message, option);
        return message;
    }
}
