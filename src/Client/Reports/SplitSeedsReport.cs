using System.Globalization;
using System.Text;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Experiments;

namespace VaeCfCluster.Client.Reports;

/// <summary>
/// <c>vaecf experiment --split-seeds</c>'s summary (seeds.md, seeds.csv): Table 2 on every split seed with a per-user
/// paired t-test of NDCG@100 against EASE on that seed, and the mean ± standard error of each model's test metrics across
/// seeds (the standard error of the per-seed means).
/// </summary>
internal static class SplitSeedsReport
{
    private static readonly string[] Metrics = ["Recall@20", "Recall@50", "NDCG@100"];

    /// <summary>Writes the summary into <paramref name="folder"/> and returns the path of seeds.md.</summary>
    public static string Write(string folder, string dataName, IReadOnlyList<(ulong Seed, string Folder, ExperimentResults Results)> seeds, string command)
    {
        var models = seeds.SelectMany(s => s.Results.Table2.Select(c => c.Model)).Distinct().ToList();
        var b = new StringBuilder();
        b.AppendLine(F($"# {dataName}: Table 2 over {seeds.Count} split seeds"));
        b.AppendLine();
        b.AppendLine(F($"Made by `{command}` on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; each seed's full report is in its folder ({string.Join(", ", seeds.Select(s => $"`{Path.GetFileName(s.Folder)}/report.md`"))})."));
        b.AppendLine();
        b.AppendLine("## Across split seeds");
        b.AppendLine();
        b.AppendLine("Mean ± standard error of the per-seed test means; the last column counts seeds where the model is significantly worse than EASE (per-user paired t-test of NDCG@100, p < 0.05).");
        b.AppendLine();
        b.AppendLine("| model | Recall@20 | Recall@50 | NDCG@100 | seeds significantly worse than EASE |");
        b.AppendLine("|---|---|---|---|---|");
        var csv = new List<IReadOnlyList<object?>>();
        foreach (var model in models)
        {
            var runs = seeds.Select(s => (s.Seed, Run: s.Results.Table2.FirstOrDefault(c => c.Model == model)?.Run, Ease: s.Results.Table2.FirstOrDefault(c => c.Model == "EASE")?.Run))
                .Where(x => x.Run is not null).ToList();
            var cells = Metrics.Select(m => Cell(runs.Select(r => r.Run!.Metric(m).Mean).ToArray()));
            var tests = runs.Select(r => (r.Seed, r.Run, Test: model == "EASE" || r.Ease is null ? null : Versus(r.Run!, r.Ease))).ToList();
            string worse = model == "EASE" ? "-" : F($"{tests.Count(t => t.Test is { } x && x.MeanDifference < 0 && x.PValue < 0.05)} of {tests.Count}");
            b.AppendLine($"| {model} | {string.Join(" | ", cells)} | {worse} |");
            foreach (var t in tests)
                csv.Add([model, t.Seed, t.Run!.Setting, t.Run.ValidationNdcg100, t.Run.Metric("Recall@20").Mean, t.Run.Metric("Recall@50").Mean,
                    t.Run.Metric("NDCG@100").Mean, t.Run.Metric("NDCG@100").StandardError, t.Test?.MeanDifference, t.Test?.PValue]);
        }
        b.AppendLine();
        b.AppendLine("## Every split seed");
        b.AppendLine();
        b.AppendLine("| model | split seed | chosen setting | Recall@20 | Recall@50 | NDCG@100 | NDCG@100 − EASE (p) |");
        b.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in csv)
        {
            string versus = row[8] is double d ? F($"{d:+0.0000;-0.0000} (p {(double)row[9]!:G2})") : "-";
            b.AppendLine(F($"| {row[0]} | {row[1]} | {row[2]} | {(double)row[4]!:F4} | {(double)row[5]!:F4} | {(double)row[6]!:F4} ± {(double)row[7]!:F4} | {versus} |"));
        }
        var path = Path.Combine(folder, "seeds.md");
        AtomicFile.WriteAllText(path, b.ToString());
        CsvFile.Write(Path.Combine(folder, "seeds.csv"),
            ["model", "split_seed", "setting", "validation_ndcg100", "recall20", "recall50", "ndcg100", "ndcg100_se", "ndcg100_minus_ease", "p"], csv);
        return path;
    }

    private static PairedTTestResult? Versus(RunOutcome run, RunOutcome ease) =>
        run.TestPerUser.TryGetValue("NDCG@100", out var mine) && ease.TestPerUser.TryGetValue("NDCG@100", out var theirs) && mine.Length == theirs.Length
            && run.TestUserIndices.SequenceEqual(ease.TestUserIndices)
            ? PairedTTest.Compute(mine, theirs)
            : null;

    private static string Cell(double[] values)
    {
        double mean = DescriptiveStatistics.Mean(values), se = DescriptiveStatistics.StandardDeviation(values, ddof: 1) / Math.Sqrt(values.Length);
        return double.IsNaN(se) ? F($"{mean:F4}") : F($"{mean:F4} ± {se:F4}");
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
