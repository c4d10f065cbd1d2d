using System.Globalization;
using System.Text;
using System.Text.Json;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Experiments;

namespace VaeCfCluster.Client.Reports;

/// <summary>
/// Writes an experiment's report folder: the CSV files, the plots, <c>settings.json</c>, and <c>report.md</c> with the
/// tables, the plots embedded, the data's statistics (as the paper's Table 1), the seeds, every setting and the wall
/// times. Every file is written to a temporary name and renamed.
/// </summary>
internal static class ExperimentReport
{
    /// <summary>Writes the report; returns the names of the files written.</summary>
    public static IReadOnlyList<string> Write(string folder, ExperimentResults results, ReportContext context)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        files.AddRange(ReportCsv.Write(folder, results));
        files.AddRange(ReportPlots.Write(folder, results));
        AtomicFile.WriteAllText(Path.Combine(folder, "settings.json"), JsonSerializer.Serialize(new
        {
            data = context.DataDescription, splitSeed = context.SplitSeed, studies = context.Settings.Studies.Select(s => s.ToString()),
            context.Settings, runner = context.Runner, command = context.CommandLine,
        }, RunLedger.Json));
        files.Add("settings.json");
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), Markdown(results, context, files));
        files.Add("report.md");
        return files;
    }

    private static string Markdown(ExperimentResults r, ReportContext c, IReadOnlyList<string> files)
    {
        var s = c.Settings;
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        Line($"# Experiment report: {r.Data.Name}");
        Line();
        Line($"Made by `{c.CommandLine}` on {c.Started:yyyy-MM-dd HH:mm} UTC; autoencoders trained on {c.Runner}, baselines in the client " +
             $"process. This invocation took {Duration(c.WallTime.TotalSeconds)}; the runs of every study took {Duration(r.StudySeconds.Values.Sum())} " +
             "(runs finished by an earlier, interrupted invocation count in the per-study times).");
        Line();
        Line("## Data (as in Table 1)");
        Line();
        Line("| data | #users | #items | #interactions | % interactions | #training users | #held-out users |");
        Line("|---|---|---|---|---|---|---|");
        var d = r.Data;
        Line(Inv($"| {d.Name} | {d.Users:N0} | {d.Items:N0} | {d.Interactions:N0} | {d.Density * 100:F2}% | {d.TrainUsers:N0} | {d.HeldOutUsers:N0} |"));
        Line();
        Line($"Read from {c.DataDescription}, after the paper's preprocessing. Strong generalization (Section 4.2): validation and test " +
             "users are held out of training; for each, 80% of the clicks are the fold-in input and 20% are ranked.");
        Line();
        if (r.Table2.Count > 0) ReportSections.Table2(md, r);
        if (r.Table4.Count > 0) ReportSections.Table4(md, r);
        if (r.Figure1.Count > 0) ReportSections.Figure1(md, r);
        if (r.Figure3 is not null) ReportSections.Figure3(md, r.Figure3);
        if (r.Table3 is not null) ReportSections.Table3(md, r.Table3, r.Data.Name);
        Line("## Wall time per study");
        Line();
        Line("| study | runs started | wall time |");
        Line("|---|---|---|");
        foreach (var (study, seconds) in r.StudySeconds.OrderBy(p => p.Key))
            Line($"| {Title(study)} | {RunsOf(r, study)} | {Duration(seconds)} |");
        Line();
        Line("A run needed by several studies (the multinomial VAE and DAE serve Figure 1, Table 4, Table 2 and Figure 3) runs once and counts " +
             "for the first study that needed it; Figure 3 only re-reads Table 2's per-user values.");
        Line();
        Line("## Settings and seeds");
        Line();
        Line(Inv($"- Split seed {c.SplitSeed} (user shuffle, fold-in/held-out sampling, Table 3's held-out items and negatives); training seed {s.Seed} ",
                 $"(weights, user order, dropout masks, latent noise, the baselines' random starts). The same command gives the same numbers."));
        Line(Inv($"- Autoencoders: {s.Epochs} epochs, batches of {s.BatchSize} users, Adam (learning rate 0.001), the best epoch by validation NDCG@100 kept. ",
                 $"Mult-VAE^PR is [I-600-200-600-I] with input dropout 0.5; Mult-DAE is [I-200-I]. VAE annealing reaches β = 1 after ",
                 $"{s.AnnealFraction * 100:0}% of the updates; the capped run keeps that schedule and stops at the best β (Section 2.2.2)."));
        Line($"- Mult-DAE weight decay searched over {{{List(s.DaeWeightDecays)}}} for every likelihood.");
        Line($"- Baselines: {(s.Baselines.Length == 0 ? "none" : string.Join("; ", s.Baselines.Select(b => Grid(b, s))))}.");
        Line($"- Table 3: {s.LeaveOneOutNegatives} sampled negatives per held-out item. Evaluation batches of {s.EvaluationBatchSize} users.");
        Line("- Every setting is also in `settings.json`.");
        Line();
        if (r.Notes.Count > 0)
        {
            Line("## Notes");
            Line();
            foreach (var note in r.Notes) Line($"- {note}");
            Line();
        }
        Line("## Files");
        Line();
        Line("The numbers behind every table and plot, at full precision: " + string.Join(", ", files.Where(f => f.EndsWith(".csv", StringComparison.Ordinal)).Select(f => $"`{f}`")) +
             ". Plots: " + string.Join(", ", files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).Select(f => $"`{f}`")) +
             ". Every finished run (its setting, validation and test metrics, per-user test values and epoch history) is in `runs/`.");
        return md.ToString();
    }

    private static int RunsOf(ExperimentResults r, StudyKind study) =>
        r.Table2.Concat(r.Table4).Concat(r.Table3?.Rows ?? []).SelectMany(x => x.Candidates).Concat(r.Figure1.Select(f => f.Run))
            .Where(x => x.Study == study).Select(x => x.Id).Distinct().Count();

    internal static string Title(StudyKind study) => study switch
    {
        StudyKind.Figure1 => "Figure 1 (annealing)",
        StudyKind.Table4 => "Table 4 (likelihoods)",
        StudyKind.Table2 => "Table 2 (comparison)",
        StudyKind.Figure3 => "Figure 3 (activity)",
        _ => "Table 3 (leave-one-out)",
    };

    internal static string Duration(double seconds) =>
        seconds >= 3600 ? Inv($"{seconds / 3600:F1} h") : seconds >= 60 ? Inv($"{seconds / 60:F1} min") : Inv($"{seconds:F0} s");

    internal static string Inv(params FormattableString[] parts) => string.Concat(parts.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    private static string Grid(string baseline, ExperimentSettings s) => baseline switch
    {
        "popularity" => "Popularity (nothing to tune)",
        "ease" => $"EASE λ ∈ {{{List(s.EaseLambdas)}}}",
        "wmf" => $"WMF c1 ∈ {{{List(s.WmfPositiveWeights)}}} × K ∈ {{{string.Join(", ", s.WmfFactors)}}} (zeros weigh 1, λ = 10, 15 ALS sweeps)",
        "slim" => Inv($"SLIM ℓ1, ℓ2 ∈ {{{List(s.SlimRegularization)}}} (skipped above {s.SlimMaxItems:N0} items)"),
        _ => $"CDAE weight decay ∈ {{{List(s.CdaeWeightDecays)}}}, {s.CdaeEpochs} epochs",
    };

    private static string List(IEnumerable<double> values) => string.Join(", ", values.Select(StudyContext.Number));
}
