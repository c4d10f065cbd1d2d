using System.Globalization;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// How the studies tune the autoencoders. A VAE follows the paper's β procedure (Section 2.2.2): anneal β linearly
/// to 1, take the β of the epoch with the best validation NDCG@100, and retrain with the same schedule capped at that
/// β; the capped run is the partially regularized VAE. A DAE searches its weight decay on validation NDCG@100. Both
/// are done per likelihood, so Table 4 tunes each likelihood separately, and Figure 1 and Table 2 reuse the
/// multinomial runs.
/// </summary>
public static class AutoencoderTuning
{
    /// <summary>"Mult-VAE^PR", "Gaussian-VAE^PR" or "Logistic-VAE^PR".</summary>
    public static string VaeName(Likelihood likelihood) => Prefix(likelihood) + "-VAE^PR";

    /// <summary>"Mult-DAE", "Gaussian-DAE" or "Logistic-DAE".</summary>
    public static string DaeName(Likelihood likelihood) => Prefix(likelihood) + "-DAE";

    /// <summary>Run id of the VAE annealed to β = 1.</summary>
    public static string AnnealToOneId(Likelihood likelihood) => $"vae-{Slug(likelihood)}-anneal-to-1";

    /// <summary>Run id of the VAE annealed to the best β of <see cref="AnnealToOneId"/>.</summary>
    public static string CappedId(Likelihood likelihood) => $"vae-{Slug(likelihood)}-anneal-capped";

    /// <summary>Run id of the VAE trained with β = 1 from the start (Figure 1's "no anneal").</summary>
    public const string NoAnnealId = "vae-multinomial-no-anneal";

    /// <summary>Run id of the VAE whose β anneals towards 1 and freezes at the validation peak within one run.</summary>
    public const string AutomaticId = "vae-multinomial-automatic";

    /// <summary>Run id of a DAE with weight decay <paramref name="weightDecay"/>; <paramref name="prefix"/> separates protocols.</summary>
    public static string DaeId(Likelihood likelihood, double weightDecay, string prefix = "") =>
        $"{prefix}dae-{Slug(likelihood)}-wd-{StudyContext.Number(weightDecay)}";

    /// <summary>The VAE trained with β = 1 and no annealing.</summary>
    public static Task<RunOutcome> NoAnnealAsync(StudyContext context, StudyKind study, CancellationToken cancellationToken)
    {
        var split = context.Inputs.Split;
        var options = context.TrainerOptions(new BetaScheduleOptions { Mode = BetaMode.Constant, Constant = 1 });
        return context.AutoencoderAsync(NoAnnealId, VaeName(Likelihood.Multinomial), "β = 1, no annealing", study, split,
            AutoencoderConfig.ForVae(split.ItemCount), options, s => context.EvaluatePaperMetrics(s, split), cancellationToken);
    }

    /// <summary>The VAE annealed linearly to β = 1 over <see cref="StudyContext.AnnealSteps"/> updates.</summary>
    public static Task<RunOutcome> AnnealToOneAsync(StudyContext context, Likelihood likelihood, StudyKind study, CancellationToken cancellationToken)
    {
        var split = context.Inputs.Split;
        long steps = context.AnnealSteps(split);
        var options = context.TrainerOptions(new BetaScheduleOptions { Mode = BetaMode.Anneal, Cap = 1, TotalAnnealSteps = steps });
        return context.AutoencoderAsync(AnnealToOneId(likelihood), VaeName(likelihood),
            string.Create(CultureInfo.InvariantCulture, $"annealed to β = 1 over {steps} updates"), study, split,
            AutoencoderConfig.ForVae(split.ItemCount) with { Likelihood = likelihood }, options,
            s => context.EvaluatePaperMetrics(s, split), cancellationToken);
    }

    /// <summary>
    /// The automatic mode (Section 2.2.2, "within a single run, we can stop increasing β when we notice the validation
    /// metric dropping"): annealing towards 1 on the same schedule, β frozen once validation NDCG@100 has not improved
    /// for <see cref="BetaScheduleOptions.AutoPatienceEpochs"/> epochs.
    /// </summary>
    public static Task<RunOutcome> AutomaticAsync(StudyContext context, StudyKind study, CancellationToken cancellationToken)
    {
        var split = context.Inputs.Split;
        long steps = context.AnnealSteps(split);
        var beta = new BetaScheduleOptions { Mode = BetaMode.Auto, TotalAnnealSteps = steps };
        return context.AutoencoderAsync(AutomaticId, VaeName(Likelihood.Multinomial),
            string.Create(CultureInfo.InvariantCulture, $"automatic β (annealed towards 1, frozen after {beta.AutoPatienceEpochs} epochs without a better validation NDCG@100)"),
            study, split, AutoencoderConfig.ForVae(split.ItemCount), context.TrainerOptions(beta),
            s => context.EvaluatePaperMetrics(s, split), cancellationToken);
    }

    /// <summary>The β at the best epoch of an annealed run: the value Mult-VAE^PR caps annealing at.</summary>
    public static double BestBeta(RunOutcome annealed)
    {
        var history = annealed.History ?? throw new ArgumentException($"Run {annealed.Id} has no epoch history.");
        int best = annealed.BestEpoch ?? throw new ArgumentException($"Run {annealed.Id} has no best epoch.");
        return Math.Clamp(history[best - 1].Beta, 0, 1);
    }

    /// <summary>
    /// The paper's β procedure for one likelihood: anneal to 1, then retrain capped at the best β (unless that β is 1,
    /// when the annealed run is the capped one).
    /// </summary>
    public static async Task<ChosenRun> VaeAsync(StudyContext context, Likelihood likelihood, StudyKind study, CancellationToken cancellationToken)
    {
        var annealed = await AnnealToOneAsync(context, likelihood, study, cancellationToken);
        double cap = BestBeta(annealed);
        // Best at β = 1: the capped schedule is the same schedule, and training is deterministic, so it is the same run.
        if (cap >= 1) return new ChosenRun(VaeName(likelihood), annealed, [annealed]);
        var split = context.Inputs.Split;
        long steps = context.AnnealSteps(split);
        var options = context.TrainerOptions(new BetaScheduleOptions { Mode = BetaMode.Anneal, Cap = cap, TotalAnnealSteps = steps });
        var capped = await context.AutoencoderAsync(CappedId(likelihood), VaeName(likelihood),
            string.Create(CultureInfo.InvariantCulture, $"β capped at {cap:0.###} (best of annealing to 1)"), study, split,
            AutoencoderConfig.ForVae(split.ItemCount) with { Likelihood = likelihood }, options,
            s => context.EvaluatePaperMetrics(s, split), cancellationToken);
        return new ChosenRun(VaeName(likelihood), capped, [annealed, capped]);
    }

    /// <summary>The DAE of one likelihood with the weight decay of best validation NDCG@100.</summary>
    public static async Task<ChosenRun> DaeAsync(StudyContext context, Likelihood likelihood, StudyKind study, CancellationToken cancellationToken)
    {
        var split = context.Inputs.Split;
        return await DaeOnAsync(context, likelihood, study, split, "", s => context.EvaluatePaperMetrics(s, split), cancellationToken);
    }

    /// <summary>The DAE weight-decay search on any split; <paramref name="idPrefix"/> keeps other protocols' runs apart.</summary>
    public static async Task<ChosenRun> DaeOnAsync(StudyContext context, Likelihood likelihood, StudyKind study, DataSplit split,
        string idPrefix, Func<IRecommenderScorer, EvaluationResult> evaluateTest, CancellationToken cancellationToken)
    {
        var candidates = new List<RunOutcome>();
        foreach (var decay in context.Settings.DaeWeightDecays)
        {
            var config = AutoencoderConfig.ForDae(split.ItemCount) with { Likelihood = likelihood, WeightDecay = decay };
            candidates.Add(await context.AutoencoderAsync(DaeId(likelihood, decay, idPrefix), DaeName(likelihood),
                $"weight decay {StudyContext.Number(decay)}", study, split, config, context.TrainerOptions(new BetaScheduleOptions()),
                evaluateTest, cancellationToken));
        }
        return new ChosenRun(DaeName(likelihood), StudyContext.BestByValidation(candidates), candidates);
    }

    private static string Prefix(Likelihood likelihood) => likelihood switch
    {
        Likelihood.Multinomial => "Mult",
        Likelihood.Gaussian => "Gaussian",
        _ => "Logistic",
    };

    private static string Slug(Likelihood likelihood) => likelihood.ToString().ToLowerInvariant();
}
