using System.Text;
using VaeCfCluster.Model.Experiments;
using static VaeCfCluster.Client.Reports.ExperimentReport;

namespace VaeCfCluster.Client.Reports;

/// <summary>The markdown of each study's section of a report.</summary>
internal static class ReportSections
{
    private static readonly string[] PaperMetrics = ["Recall@20", "Recall@50", "NDCG@100"];

    public static void Table2(StringBuilder md, ExperimentResults r)
    {
        md.Append("## Table 2: comparison with baselines\n\n");
        md.Append("Test metrics (mean ± standard error over the test users) of the setting with the best validation NDCG@100 (Section 4.4); " +
                  "the best value of each column is in bold.\n\n");
        MetricTable(md, r.Table2, PaperMetrics, "chosen setting (of searched)");
        md.Append($"![Table 2]({ReportPlots.Table2})\n\n");
        md.Append("Every searched setting with its validation and test metrics is in `table2-search.csv`.\n\n");
    }

    public static void Table4(StringBuilder md, ExperimentResults r)
    {
        md.Append("## Table 4: likelihoods\n\n");
        md.Append("The same models with the multinomial, Gaussian (Eq. 3, confidences c1 = 10 on clicks, c0 = 1 elsewhere) and logistic (Eq. 4) " +
                  "likelihoods, each tuned separately: the VAE by the β procedure, the DAE by weight decay.\n\n");
        MetricTable(md, r.Table4, PaperMetrics, "chosen setting (of searched)");
        md.Append($"![Table 4]({ReportPlots.Table4})\n\n");
    }

    public static void Figure1(StringBuilder md, ExperimentResults r)
    {
        md.Append("## Figure 1: annealing\n\n");
        md.Append("Validation NDCG@100 after every epoch of Mult-VAE: with β = 1 from the start, annealed linearly to β = 1, and annealed with the " +
                  "same schedule but capped at the β of the second run's best epoch (the paper's procedure for Mult-VAE^PR; Tables 2 and 4 use " +
                  "this run), and in the automatic mode, which anneals on the same schedule in one run and freezes β once validation NDCG@100 " +
                  "has not improved for 5 epochs (what Section 2.2.2 suggests when compute is scarce).\n\n");
        md.Append($"![Figure 1]({ReportPlots.Figure1})\n\n");
        md.Append("| curve | best epoch | best validation NDCG@100 | β at best epoch | final validation NDCG@100 |\n|---|---|---|---|---|\n");
        foreach (var c in r.Figure1)
        {
            var h = c.Run.History!;
            var best = h[c.Run.BestEpoch!.Value - 1];
            md.Append(Inv($"| {c.Label} | {best.Epoch} | {best.ValidationNdcg100:F4} | {best.Beta:0.###} | {h[^1].ValidationNdcg100:F4} |\n"));
        }
        md.Append('\n');
    }

    public static void Figure3(StringBuilder md, ActivityStudyResult f3)
    {
        md.Append("## Figure 3: NDCG@100 by user activity\n\n");
        md.Append($"Test users in quintiles of fold-in clicks (the input the model sees), least active first; {f3.First.Model} against " +
                  $"{f3.Second.Model} (the Table 2 runs). Error bars are one standard error. A paired t-test per quintile: * p < 0.05, ** p < 0.01, " +
                  "*** p < 0.001.\n\n");
        md.Append($"![Figure 3]({ReportPlots.Figure3})\n\n");
        md.Append($"| quintile | fold-in clicks | users | {f3.First.Model} | {f3.Second.Model} | difference | t | p | |\n|---|---|---|---|---|---|---|---|---|\n");
        foreach (var g in f3.Comparison.Groups)
            md.Append(Inv($"| [{g.Index * 20}%, {(g.Index + 1) * 20}%] | {g.MinFoldIn}-{g.MaxFoldIn} | {g.UserCount} | {g.First.Mean:F4} ± {g.First.StandardError:F4} | ",
                          $"{g.Second.Mean:F4} ± {g.Second.StandardError:F4} | {g.Test.MeanDifference:+0.0000;-0.0000} | {g.Test.T:F2} | {g.Test.PValue:G3} | {g.Test.Stars} |\n"));
        var o = f3.Comparison.Overall;
        md.Append(Inv($"| all | | {o.Count} | {f3.First.Run.Metric("NDCG@100").Mean:F4} | {f3.Second.Run.Metric("NDCG@100").Mean:F4} | ",
                      $"{o.MeanDifference:+0.0000;-0.0000} | {o.T:F2} | {o.PValue:G3} | {o.Stars} |\n\n"));
    }

    public static void Table3(StringBuilder md, LeaveOneOutStudyResult t3, string dataName)
    {
        md.Append("## Table 3: leave-one-out with sampled negatives (NCF's protocol)\n\n");
        md.Append(Inv($"Every rating counts as an interaction: {t3.Users:N0} users with 3 or more ({t3.DroppedUsers} dropped), {t3.Items:N0} items, ",
                      $"{t3.Interactions:N0} interactions. Per user one interaction is held out for test and one for validation, chosen at random ",
                      $"(seeded): the data here has no timestamps, so NCF's \"latest interaction\" cannot be taken. The test item is ranked against ",
                      $"{t3.Negatives} items the user never interacted with; Recall@10 equals NCF's HR@10 with one held-out item. Models train on every ",
                      $"user's remaining interactions and score from them plus the validation item; Mult-DAE is [I-200-I], its weight decay chosen ",
                      $"by validation NDCG@100 (full ranking of the validation item).\n\n"));
        MetricTable(md, t3.Rows, ["Recall@10", "NDCG@10"], "chosen setting (of searched)");
        if (dataName.Equals("ml-1m", StringComparison.OrdinalIgnoreCase))
            md.Append("The paper (Table 3a) reports on NCF's own ML-1M split (latest interaction held out): NCF 0.705 / 0.426, NCF pre-trained " +
                      "0.730 / 0.447, Mult-DAE 0.722 / 0.446 (Recall@10 / NDCG@10). The split here differs, so compare the order, not the digits.\n\n");
    }

    private static void MetricTable(StringBuilder md, IReadOnlyList<ChosenRun> rows, string[] metrics, string settingHeader)
    {
        md.Append($"| model | {string.Join(" | ", metrics)} | {settingHeader} | validation NDCG@100 |\n");
        md.Append($"|---|{string.Concat(metrics.Select(_ => "---|"))}---|---|\n");
        var best = metrics.ToDictionary(m => m, m => rows.Max(x => x.Run.Metric(m).Mean));
        foreach (var row in rows)
        {
            var cells = metrics.Select(m =>
            {
                var v = row.Run.Metric(m);
                var text = Inv($"{v.Mean:F4} ± {v.StandardError:F4}");
                return v.Mean == best[m] ? $"**{text}**" : text;
            });
            md.Append(Inv($"| {row.Model} | {string.Join(" | ", cells)} | {row.Run.Setting} ({row.Candidates.Count}) | {row.Run.ValidationNdcg100:F4} |\n"));
        }
        md.Append('\n');
    }
}
