using System.CommandLine;
using VaeCfCluster.Model.Experiments;

namespace VaeCfCluster.Client.Commands;

/// <summary>Options of <c>vaecf experiment</c> that decide the studies' numbers, turned into <see cref="ExperimentSettings"/>.</summary>
internal sealed class ExperimentOptions
{
    private static readonly ExperimentSettings Defaults = new();

    public Option<string?> Studies { get; } = new("--studies")
    {
        Description = "Comma-separated studies to run: figure1 (annealing curves), table4 (likelihoods), table2 (model comparison), " +
                      "figure3 (activity quintiles), table3 (leave-one-out with sampled negatives), or all. Default: all.",
    };

    public Option<int> Epochs { get; } = new("--epochs")
    {
        Description = "Epochs per autoencoder run (the best validation epoch is kept).", DefaultValueFactory = _ => Defaults.Epochs,
    };

    public Option<int> BatchSize { get; } = new("--batch-size")
    {
        Description = "Users per gradient update.", DefaultValueFactory = _ => Defaults.BatchSize,
    };

    public Option<long> Seed { get; } = new("--seed")
    {
        Description = "Seed of weights, user order, dropout, latent noise and the baselines' random starts.", DefaultValueFactory = _ => Defaults.Seed,
    };

    public Option<string?> DaeWeightDecays { get; } = new("--dae-weight-decay")
    {
        Description = "Mult-DAE weight decays searched on validation NDCG@100 (per likelihood). Default 0.01,0.0001.",
    };

    public Option<string?> Baselines { get; } = new("--baselines")
    {
        Description = "Baselines of Table 2: popularity, ease, wmf, slim, cdae (comma-separated). Default: all.",
    };

    public Option<string?> EaseLambdas { get; } = new("--ease-lambda") { Description = "EASE λ grid. Default 50,100,200,500,1000,2000,5000." };

    public Option<string?> WmfWeights { get; } = new("--wmf-c1") { Description = "WMF click confidence grid. Default 2,5,10,30,50,100 (Section 4.4)." };

    public Option<string?> WmfFactors { get; } = new("--wmf-factors") { Description = "WMF dimension grid. Default 100,200 (Section 4.4)." };

    public Option<string?> SlimRegularization { get; } = new("--slim-reg")
    {
        Description = "SLIM ℓ1 and ℓ2 grid (each searched over the list). Default 0.1,0.5,1,5 (Section 4.4).",
    };

    public Option<int> SlimMaxItems { get; } = new("--slim-max-items")
    {
        Description = "Skip SLIM above this many items (it needs several items × items matrices and hours).", DefaultValueFactory = _ => Defaults.SlimMaxItems,
    };

    public Option<string?> CdaeWeightDecays { get; } = new("--cdae-weight-decay") { Description = "CDAE weight decay grid. Default 0.01,0.1,1,10,100 (Section 4.4)." };

    public Option<int> CdaeEpochs { get; } = new("--cdae-epochs") { Description = "CDAE training epochs.", DefaultValueFactory = _ => Defaults.CdaeEpochs };

    public Option<int> Negatives { get; } = new("--negatives")
    {
        Description = "Table 3: sampled negatives each held-out item is ranked against.", DefaultValueFactory = _ => Defaults.LeaveOneOutNegatives,
    };

    public Option<int> EvaluationBatchSize { get; } = new("--eval-batch-size")
    {
        Description = "Users scored at once (memory: users × items floats).", DefaultValueFactory = _ => Defaults.EvaluationBatchSize,
    };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Studies, Epochs, BatchSize, Seed, DaeWeightDecays, Baselines, EaseLambdas, WmfWeights, WmfFactors,
                     SlimRegularization, SlimMaxItems, CdaeWeightDecays, CdaeEpochs, Negatives, EvaluationBatchSize })
            command.Options.Add(o);
    }

    /// <summary>The settings the options give; throws naming the option when a value is bad.</summary>
    public ExperimentSettings Resolve(ParseResult result)
    {
        var settings = new ExperimentSettings
        {
            Studies = ParseStudies(result.GetValue(Studies)),
            Epochs = Positive(result, Epochs),
            BatchSize = Positive(result, BatchSize),
            Seed = result.GetValue(Seed),
            DaeWeightDecays = ValueList.Doubles("--dae-weight-decay", result.GetValue(DaeWeightDecays), Defaults.DaeWeightDecays),
            Baselines = ParseBaselines(result.GetValue(Baselines)),
            EaseLambdas = ValueList.Doubles("--ease-lambda", result.GetValue(EaseLambdas), Defaults.EaseLambdas),
            WmfPositiveWeights = ValueList.Doubles("--wmf-c1", result.GetValue(WmfWeights), Defaults.WmfPositiveWeights),
            WmfFactors = ValueList.Integers("--wmf-factors", result.GetValue(WmfFactors), Defaults.WmfFactors),
            SlimRegularization = ValueList.Doubles("--slim-reg", result.GetValue(SlimRegularization), Defaults.SlimRegularization),
            SlimMaxItems = Positive(result, SlimMaxItems),
            CdaeWeightDecays = ValueList.Doubles("--cdae-weight-decay", result.GetValue(CdaeWeightDecays), Defaults.CdaeWeightDecays),
            CdaeEpochs = Positive(result, CdaeEpochs),
            LeaveOneOutNegatives = Positive(result, Negatives),
            EvaluationBatchSize = Positive(result, EvaluationBatchSize),
        };
        if (settings.EaseLambdas.Any(l => l <= 0)) throw new ArgumentException("--ease-lambda: values must be positive.");
        if (settings.WmfPositiveWeights.Any(c => c <= 1)) throw new ArgumentException("--wmf-c1: values must exceed 1 (zeros weigh 1).");
        settings.Validate();
        return settings;
    }

    private static int Positive(ParseResult result, Option<int> option)
    {
        int value = result.GetValue(option);
        return value >= 1 ? value : throw new ArgumentException($"{option.Name} must be at least 1 (was {value}).");
    }

    private static StudyKind[] ParseStudies(string? text)
    {
        if (text is null || text.Trim() == "all") return Enum.GetValues<StudyKind>();
        var chosen = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => Enum.TryParse<StudyKind>(name, ignoreCase: true, out var study) && Enum.IsDefined(study)
                ? study
                : throw new ArgumentException($"--studies: '{name}' is not a study; use figure1, table4, table2, figure3, table3 or all."))
            .ToHashSet();
        if (chosen.Count == 0) throw new ArgumentException("--studies: name at least one study.");
        return Enum.GetValues<StudyKind>().Where(chosen.Contains).ToArray();
    }

    private static string[] ParseBaselines(string? text)
    {
        if (text is null) return Defaults.Baselines;
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).ToArray();
        foreach (var name in names)
            if (!ExperimentSettings.KnownBaselines.Contains(name))
                throw new ArgumentException($"--baselines: '{name}' is not a baseline; use {string.Join(", ", ExperimentSettings.KnownBaselines)}.");
        return names.Distinct().ToArray();
    }
}
