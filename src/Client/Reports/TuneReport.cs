using System.Globalization;
using System.Text;
using VaeCfCluster.Client.Commands;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Tuning;

namespace VaeCfCluster.Client.Reports;

/// <summary>
/// The report of <c>vaecf tune</c>: the search's trials, every model's test metrics on every split seed with a per-user
/// paired t-test against EASE on that seed, and the mean ± standard error across seeds (tune.md, runs.csv).
/// </summary>
internal sealed class TuneReport(string dataName, string tunedModel, IReadOnlyList<ulong> seeds, IReadOnlyList<TuningOutcome> search,
    TuningOutcome best, IReadOnlyList<TuneReport.Row> rows, string[] arguments)
{
    private static readonly string[] Metrics = ["Recall@20", "Recall@50", "NDCG@100"];

    /// <summary>One model on one split seed.</summary>
    public sealed record Row(string Name, ulong SplitSeed, TuningOutcome Outcome);

    /// <summary>The paired t-test of <paramref name="row"/> against EASE on its seed (null without EASE, or for EASE itself).</summary>
    public PairedTTestResult? AgainstEase(Row row)
    {
        if (row.Name == "EASE") return null;
        var ease = rows.FirstOrDefault(r => r.Name == "EASE" && r.SplitSeed == row.SplitSeed);
        if (ease is null || ease.Outcome.TestNdcg100PerUser.Length != row.Outcome.TestNdcg100PerUser.Length) return null;
        return PairedTTest.Compute(row.Outcome.TestNdcg100PerUser, ease.Outcome.TestNdcg100PerUser);
    }

    /// <summary>Model names in report order.</summary>
    public IReadOnlyList<string> Names => rows.Select(r => r.Name).Distinct().ToList();

    /// <summary>Mean and standard error across seeds of <paramref name="metric"/> for <paramref name="name"/>.</summary>
    public (double Mean, double StandardError) AcrossSeeds(string name, string metric)
    {
        var values = rows.Where(r => r.Name == name).Select(r => r.Outcome.Test[metric].Mean).ToArray();
        return (DescriptiveStatistics.Mean(values), DescriptiveStatistics.StandardDeviation(values, ddof: 1) / Math.Sqrt(values.Length));
    }

    /// <summary>Writes tune.md and runs.csv into <paramref name="folder"/>.</summary>
    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "tune.md"), Markdown());
        CsvFile.Write(Path.Combine(folder, "runs.csv"),
            ["model", "split_seed", "run", "settings", "validation_ndcg100", "best_epoch", "recall20", "recall50", "ndcg100", "ndcg100_se",
             "seconds", "ndcg100_minus_ease", "t", "p"],
            rows.Select(r =>
            {
                var test = AgainstEase(r);
                return (IReadOnlyList<object?>)[r.Name, r.SplitSeed, r.Outcome.Id, Settings(r.Outcome), r.Outcome.ValidationNdcg100, r.Outcome.BestEpoch,
                    r.Outcome.Test["Recall@20"].Mean, r.Outcome.Test["Recall@50"].Mean, r.Outcome.Test["NDCG@100"].Mean,
                    r.Outcome.Test["NDCG@100"].StandardError, r.Outcome.TrainSeconds, test?.MeanDifference, test?.T, test?.PValue];
            }));
    }

    /// <summary>The across-seeds table as plain text (what the command prints).</summary>
    public string Summary()
    {
        var b = new StringBuilder();
        // The name column fits the longest name ("Mult-DAE + item-item term, tuned"), at least 22 wide.
        int width = Names.Select(n => n.Length).Append(22).Max();
        b.AppendLine(F($"{"model".PadRight(width)} {"Recall@20",16} {"Recall@50",16} {"NDCG@100",16}  seeds"));
        foreach (var name in Names)
        {
            b.Append(name.PadRight(width));
            foreach (var m in Metrics)
            {
                var (mean, se) = AcrossSeeds(name, m);
                b.Append(F($" {Cell(mean, se),16}"));
            }
            b.AppendLine(F($"  {rows.Count(r => r.Name == name)}"));
        }
        if (Goal() is { } goal) b.AppendLine(goal);
        return b.ToString();
    }

    private string Markdown()
    {
        var b = new StringBuilder();
        b.AppendLine(F($"# Tuning report: {dataName}, {TuneCommand.DisplayName(tunedModel)}"));
        b.AppendLine();
        b.AppendLine(F($"Made by `vaecf {string.Join(' ', arguments)}` on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC. Split seeds: {string.Join(", ", seeds)}; "));
        b.AppendLine("every run trains in one process; seconds are training plus validation and test scoring.");
        b.AppendLine();
        b.AppendLine(F($"## Search (split seed {seeds[0]}, by validation NDCG@100)"));
        b.AppendLine();
        b.AppendLine("| trial | settings | validation NDCG@100 | best epoch | seconds |");
        b.AppendLine("|---|---|---|---|---|");
        for (int i = 0; i < search.Count; i++)
        {
            var o = search[i];
            string mark = o.Id == best.Id ? " **(best)**" : "";
            b.AppendLine(F($"| {i + 1}{(i == 0 ? " (defaults)" : "")} | {Settings(o)}{mark} | {o.ValidationNdcg100:F4} | {o.BestEpoch} | {o.TrainSeconds:F0} |"));
        }
        b.AppendLine();
        b.AppendLine("## Test metrics on every split seed");
        b.AppendLine();
        b.AppendLine("Mean ± standard error over test users. The last column is a paired t-test per test user of NDCG@100 against EASE on the same seed (difference, p).");
        b.AppendLine();
        b.AppendLine("| model | split seed | Recall@20 | Recall@50 | NDCG@100 | settings | seconds | NDCG@100 − EASE (p) |");
        b.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var name in Names)
            foreach (var r in rows.Where(r => r.Name == name))
            {
                var t = AgainstEase(r);
                string versus = t is null ? "-" : F($"{t.MeanDifference:+0.0000;-0.0000} (p {t.PValue:G2})");
                b.AppendLine(F($"| {name} | {r.SplitSeed} | {Cell(r.Outcome.Test["Recall@20"])} | {Cell(r.Outcome.Test["Recall@50"])} | ") +
                             F($"{Cell(r.Outcome.Test["NDCG@100"])} | {Settings(r.Outcome)} | {r.Outcome.TrainSeconds:F0} | {versus} |"));
            }
        b.AppendLine();
        b.AppendLine("## Across split seeds");
        b.AppendLine();
        b.AppendLine("Mean ± standard error of the per-seed test means (n = number of seeds); seeds where the model is significantly worse than EASE (paired t-test, p < 0.05).");
        b.AppendLine();
        b.AppendLine("| model | Recall@20 | Recall@50 | NDCG@100 | mean seconds | seeds significantly worse than EASE |");
        b.AppendLine("|---|---|---|---|---|---|");
        foreach (var name in Names)
        {
            var cells = Metrics.Select(m => AcrossSeeds(name, m)).Select(x => Cell(x.Mean, x.StandardError));
            var mine = rows.Where(r => r.Name == name).ToList();
            int worse = mine.Count(r => AgainstEase(r) is { } t && t.MeanDifference < 0 && t.PValue < 0.05);
            string worseText = name == "EASE" ? "-" : F($"{worse} of {mine.Count}");
            b.AppendLine(string.Join(" | ", cells).Insert(0, $"| {name} | ") + F($" | {mine.Average(r => r.Outcome.TrainSeconds):F0} | {worseText} |"));
        }
        b.AppendLine();
        if (Goal() is { } goal)
        {
            b.AppendLine(goal);
            b.AppendLine();
        }
        return b.ToString();
    }

    /// <summary>
    /// The goal's line: the VAE-family model with the best mean validation NDCG@100 across seeds (chosen on validation,
    /// never on the test users it is then judged on), its mean test NDCG@100 against EASE's; null without EASE.
    /// </summary>
    private string? Goal()
    {
        if (!Names.Contains("EASE")) return null;
        var family = Names.Where(n => n is not ("EASE" or "WMF")).ToList();
        if (family.Count == 0) return null;
        var bestName = family.OrderByDescending(n => rows.Where(r => r.Name == n).Average(r => r.Outcome.ValidationNdcg100)).First();
        double mine = AcrossSeeds(bestName, "NDCG@100").Mean, ease = AcrossSeeds("EASE", "NDCG@100").Mean;
        int worse = rows.Where(r => r.Name == bestName).Count(r => AgainstEase(r) is { } t && t.MeanDifference < 0 && t.PValue < 0.05);
        string verdict = mine >= ease && worse == 0 ? "meets the goal" : mine >= ease ? "is ahead on the mean but significantly worse on some seed" : F($"falls short by {ease - mine:F4}");
        return F($"Best VAE-family model by validation NDCG@100: {bestName}, mean test NDCG@100 {mine:F4} against EASE's {ease:F4}; significantly worse than EASE on {worse} seed(s): {verdict}.");
    }

    private static string Settings(TuningOutcome o) => o.Settings.Count == 0
        ? "-"
        : string.Join(", ", o.Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => F($"{s.Key} {s.Value:G4}")));

    private static string Cell(MetricValue v) => Cell(v.Mean, v.StandardError);

    private static string Cell(double mean, double se) => double.IsNaN(se) ? F($"{mean:F4}") : F($"{mean:F4} ± {se:F4}");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
