using VaeCfCluster.Model.Experiments;

namespace VaeCfCluster.Client.Reports;

/// <summary>The CSV files behind every table and plot of a report, at full precision.</summary>
internal static class ReportCsv
{
    private static readonly string[] PaperMetrics = ["Recall@20", "Recall@50", "NDCG@100"];
    private static readonly string[] SampledMetrics = ["Recall@10", "NDCG@10"];

    /// <summary>Writes the CSV files of the parts of <paramref name="results"/> that ran; returns their names.</summary>
    public static IReadOnlyList<string> Write(string folder, ExperimentResults results)
    {
        var files = new List<string>();
        void Save(string name, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
        {
            CsvFile.Write(Path.Combine(folder, name), header, rows);
            files.Add(name);
        }

        var d = results.Data;
        Save("data.csv", ["data", "users", "items", "interactions", "density", "train_users", "heldout_users"],
            [[d.Name, d.Users, d.Items, d.Interactions, d.Density, d.TrainUsers, d.HeldOutUsers]]);
        if (results.Table2.Count > 0)
        {
            Save("table2.csv", RowHeader(PaperMetrics), results.Table2.Select(r => RowFields(r, PaperMetrics)));
            Save("table2-search.csv", SearchHeader(PaperMetrics), results.Table2.SelectMany(r => SearchFields(r, PaperMetrics)));
        }
        if (results.Table4.Count > 0)
        {
            Save("table4.csv", RowHeader(PaperMetrics), results.Table4.Select(r => RowFields(r, PaperMetrics)));
            Save("table4-search.csv", SearchHeader(PaperMetrics), results.Table4.SelectMany(r => SearchFields(r, PaperMetrics)));
        }
        if (results.Figure1.Count > 0)
        {
            Save("figure1.csv", ["curve", "run", "epoch", "step", "beta", "validation_ndcg100", "loss"],
                results.Figure1.SelectMany(c => c.Run.History!.Select(h => (IReadOnlyList<object?>)
                    [c.Label, c.Run.Id, h.Epoch, h.Step, h.Beta, h.ValidationNdcg100, h.Loss])));
        }
        if (results.Figure3 is { } f3)
        {
            var rows = f3.Comparison.Groups.Select(g => (IReadOnlyList<object?>)
                [$"Q{g.Index + 1}", g.MinFoldIn, g.MaxFoldIn, g.UserCount, g.First.Mean, g.First.StandardError, g.Second.Mean,
                 g.Second.StandardError, g.Test.MeanDifference, g.Test.T, g.Test.DegreesOfFreedom, g.Test.PValue, g.Test.Stars]).ToList();
            var o = f3.Comparison.Overall;
            rows.Add(["all", f3.Comparison.Groups[0].MinFoldIn, f3.Comparison.Groups[^1].MaxFoldIn, o.Count, f3.First.Run.Metric("NDCG@100").Mean,
                f3.First.Run.Metric("NDCG@100").StandardError, f3.Second.Run.Metric("NDCG@100").Mean, f3.Second.Run.Metric("NDCG@100").StandardError,
                o.MeanDifference, o.T, o.DegreesOfFreedom, o.PValue, o.Stars]);
            Save("figure3.csv", ["group", "min_fold_in", "max_fold_in", "users", "vae_ndcg100", "vae_se", "dae_ndcg100", "dae_se",
                "mean_difference", "t", "df", "p", "significance"], rows);
        }
        if (results.Table3 is { } t3)
        {
            Save("table3.csv", RowHeader(SampledMetrics), t3.Rows.Select(r => RowFields(r, SampledMetrics)));
            Save("table3-search.csv", SearchHeader(SampledMetrics), t3.Rows.SelectMany(r => SearchFields(r, SampledMetrics)));
        }
        Save("study-times.csv", ["study", "seconds"], results.StudySeconds.OrderBy(p => p.Key).Select(p => (IReadOnlyList<object?>)[p.Key.ToString(), p.Value]));
        return files;
    }

    private static string[] RowHeader(string[] metrics) =>
        ["model", "setting", "run", "validation_ndcg100", .. metrics.SelectMany(m => new[] { Column(m), Column(m) + "_se" }), "candidates", "test_users"];

    private static IReadOnlyList<object?> RowFields(ChosenRun row, string[] metrics) =>
        [row.Model, row.Run.Setting, row.Run.Id, row.Run.ValidationNdcg100,
         .. metrics.SelectMany(m => new object?[] { row.Run.Metric(m).Mean, row.Run.Metric(m).StandardError }),
         row.Candidates.Count, row.Run.TestUserIndices.Length];

    private static string[] SearchHeader(string[] metrics) =>
        ["model", "setting", "run", "chosen", "validation_ndcg100", .. metrics.Select(Column), "best_epoch", "beta", "seconds"];

    private static IEnumerable<IReadOnlyList<object?>> SearchFields(ChosenRun row, string[] metrics) =>
        row.Candidates.Select(c => (IReadOnlyList<object?>)
            [row.Model, c.Setting, c.Id, c.Id == row.Run.Id ? "yes" : "no", c.ValidationNdcg100, .. metrics.Select(m => (object?)c.Metric(m).Mean),
             c.BestEpoch, c.ChosenBeta, c.WallSeconds]);

    private static string Column(string metric) => metric.Replace("@", "").ToLowerInvariant();
}
