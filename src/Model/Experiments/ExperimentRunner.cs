using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// Runs the selected studies of Section 4 in a fixed order (Figure 1, Table 4, Table 2, Figure 3, Table 3) and gathers
/// what the report shows. Runs shared between studies run once; every finished run is in the ledger, so running the
/// same experiment again after an interruption redoes nothing that finished.
/// </summary>
public sealed class ExperimentRunner(ExperimentSettings settings, ExperimentInputs inputs, RunLedger ledger, IAutoencoderRunner autoencoders,
    TextWriter log)
{
    private static readonly Likelihood[] Likelihoods = [Likelihood.Multinomial, Likelihood.Gaussian, Likelihood.Logistic];

    /// <summary>
    /// Ids of the runs the selected studies may need, each once, in the order they run (a capped VAE run is skipped when
    /// the best β of annealing is 1).
    /// </summary>
    public IReadOnlyList<string> PlannedRunIds()
    {
        var ids = new List<string>();
        var studies = settings.Studies;
        if (studies.Contains(StudyKind.Figure1))
            ids.AddRange([AutoencoderTuning.NoAnnealId, .. VaeIds(Likelihood.Multinomial), AutoencoderTuning.AutomaticId]);
        if (studies.Contains(StudyKind.Table4))
            foreach (var l in Likelihoods) ids.AddRange([.. VaeIds(l), .. DaeIds(l, "")]);
        if (studies.Contains(StudyKind.Table2) || studies.Contains(StudyKind.Figure3))
            ids.AddRange([.. VaeIds(Likelihood.Multinomial), .. DaeIds(Likelihood.Multinomial, "")]);
        if (studies.Contains(StudyKind.Table2))
            foreach (var b in settings.Baselines.Where(b => BaselineGrid.SkipReason(b, inputs.Split.ItemCount, settings) is null))
                ids.AddRange(BaselineGrid.Candidates(b, settings).Select(c => c.Id));
        if (studies.Contains(StudyKind.Table3) && inputs.LeaveOneOutData is not null)
            ids.AddRange(LeaveOneOutStudy.RunIds(settings));
        return ids.Distinct().ToArray();
    }

    /// <summary>Runs the studies; throws <see cref="OperationCanceledException"/> when interrupted (finished runs are kept).</summary>
    public async Task<ExperimentResults> RunAsync(CancellationToken cancellationToken = default)
    {
        settings.Validate();
        var planned = PlannedRunIds();
        log.WriteLine($"experiment: up to {planned.Count} runs planned for {string.Join(", ", settings.Studies)} on {inputs.DataName}; " +
                      $"autoencoders train on {autoencoders.Description}");
        var context = new StudyContext(settings, inputs, ledger, autoencoders, log, planned.Count);
        var studies = settings.Studies;
        var notes = new List<string>();
        var touched = new List<RunOutcome>();
        var results = new ExperimentResults { Data = Statistics() };

        if (studies.Contains(StudyKind.Figure1))
        {
            var none = await AutoencoderTuning.NoAnnealAsync(context, StudyKind.Figure1, cancellationToken);
            var vae = await AutoencoderTuning.VaeAsync(context, Likelihood.Multinomial, StudyKind.Figure1, cancellationToken);
            var automatic = await AutoencoderTuning.AutomaticAsync(context, StudyKind.Figure1, cancellationToken);
            results = results with
            {
                Figure1 =
                [
                    new AnnealingCurve("no annealing (β = 1)", none),
                    new AnnealingCurve("annealing to β = 1", vae.Candidates[0]),
                    new AnnealingCurve(FormattableString.Invariant($"annealing capped at β = {AutoencoderTuning.BestBeta(vae.Candidates[0]):0.###}"), vae.Run),
                    new AnnealingCurve(FormattableString.Invariant($"automatic, one run (β settled at {automatic.ChosenBeta:0.###})"), automatic),
                ],
            };
            touched.AddRange([none, .. vae.Candidates, automatic]);
        }
        if (studies.Contains(StudyKind.Table4))
        {
            var rows = new List<ChosenRun>();
            foreach (var likelihood in Likelihoods)
                rows.Add(await AutoencoderTuning.VaeAsync(context, likelihood, StudyKind.Table4, cancellationToken));
            foreach (var likelihood in Likelihoods)
                rows.Add(await AutoencoderTuning.DaeAsync(context, likelihood, StudyKind.Table4, cancellationToken));
            results = results with { Table4 = rows };
            touched.AddRange(rows.SelectMany(r => r.Candidates));
        }
        ChosenRun? vaeRow = null, daeRow = null;
        if (studies.Contains(StudyKind.Table2) || studies.Contains(StudyKind.Figure3))
        {
            var study = studies.Contains(StudyKind.Table2) ? StudyKind.Table2 : StudyKind.Figure3;
            vaeRow = await AutoencoderTuning.VaeAsync(context, Likelihood.Multinomial, study, cancellationToken);
            daeRow = await AutoencoderTuning.DaeAsync(context, Likelihood.Multinomial, study, cancellationToken);
            touched.AddRange([.. vaeRow.Candidates, .. daeRow.Candidates]);
        }
        if (studies.Contains(StudyKind.Table2))
        {
            var rows = new List<ChosenRun> { vaeRow!, daeRow! };
            foreach (var baseline in settings.Baselines)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (BaselineGrid.SkipReason(baseline, inputs.Split.ItemCount, settings) is { } reason)
                {
                    notes.Add(reason);
                    log.WriteLine(reason);
                    continue;
                }
                var candidates = BaselineGrid.Candidates(baseline, settings, m => log.WriteLine($"      {m}"))
                    .Select(c =>
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        return context.Baseline(c.Id, BaselineGrid.DisplayName(baseline), c.Setting, StudyKind.Table2, inputs.Split, c.Fit);
                    })
                    .ToArray();
                rows.Add(new ChosenRun(BaselineGrid.DisplayName(baseline), StudyContext.BestByValidation(candidates), candidates));
                touched.AddRange(candidates);
            }
            results = results with { Table2 = rows };
        }
        if (studies.Contains(StudyKind.Figure3))
        {
            var metric = RankingMetric.Ndcg(100);
            var (vae, dae) = (vaeRow!.Run, daeRow!.Run);
            if (!vae.TestUserIndices.SequenceEqual(dae.TestUserIndices))
                throw new InvalidOperationException($"Runs {vae.Id} and {dae.Id} were evaluated on different test users.");
            var comparison = ActivityBreakdown.Compare(metric, vae.TestFoldInCounts, vae.TestUserIndices,
                vae.TestPerUser[metric.Name], dae.TestPerUser[metric.Name]);
            results = results with { Figure3 = new ActivityStudyResult(vaeRow, daeRow, comparison) };
        }
        if (studies.Contains(StudyKind.Table3))
        {
            if (inputs.LeaveOneOutData is null)
            {
                notes.Add("Table 3 was skipped: it re-reads the raw data, which a prepared split folder does not have.");
            }
            else
            {
                var table3 = await LeaveOneOutStudy.RunAsync(context, cancellationToken);
                results = results with { Table3 = table3 };
                touched.AddRange(table3.Rows.SelectMany(r => r.Candidates));
            }
        }
        var seconds = touched.DistinctBy(r => r.Id).GroupBy(r => r.Study).ToDictionary(g => g.Key, g => g.Sum(r => r.WallSeconds));
        return results with { StudySeconds = seconds, Notes = notes };
    }

    private DataStatistics Statistics()
    {
        var split = inputs.Split;
        int heldOut = split.Validation.UserCount;
        if (inputs.Clicks is { } clicks)
            return new DataStatistics(inputs.DataName, clicks.UserCount, clicks.ItemCount, clicks.ClickCount, clicks.Density, split.Train.RowCount, heldOut);
        int users = split.Train.RowCount + split.Validation.UserCount + split.Test.UserCount;
        long interactions = (long)split.Train.NonZeroCount + split.Validation.FoldIn.NonZeroCount + split.Validation.HeldOut.NonZeroCount
                            + split.Test.FoldIn.NonZeroCount + split.Test.HeldOut.NonZeroCount;
        return new DataStatistics(inputs.DataName, users, split.ItemCount, interactions, (double)interactions / ((double)users * split.ItemCount),
            split.Train.RowCount, heldOut);
    }

    private static string[] VaeIds(Likelihood l) => [AutoencoderTuning.AnnealToOneId(l), AutoencoderTuning.CappedId(l)];

    private string[] DaeIds(Likelihood l, string prefix) =>
        settings.DaeWeightDecays.Select(d => AutoencoderTuning.DaeId(l, d, prefix)).ToArray();
}
