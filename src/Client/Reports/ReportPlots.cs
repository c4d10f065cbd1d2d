using VaeCfCluster.Client.Reports.Plots;
using VaeCfCluster.Model.Experiments;

namespace VaeCfCluster.Client.Reports;

/// <summary>The PNG plots of a report: Figure 1, Figure 3, and bar charts of Tables 2 and 4.</summary>
internal static class ReportPlots
{
    public const string Figure1 = "figure1-annealing.png";
    public const string Figure3 = "figure3-activity.png";
    public const string Table2 = "table2-ndcg100.png";
    public const string Table4 = "table4-likelihoods.png";

    /// <summary>Draws the plots of the parts of <paramref name="results"/> that ran; returns their file names.</summary>
    public static IReadOnlyList<string> Write(string folder, ExperimentResults results)
    {
        var files = new List<string>();
        var data = results.Data.Name;
        if (results.Figure1.Count > 0)
        {
            LinePlot.Save(Path.Combine(folder, Figure1), $"Figure 1: validation NDCG@100 by annealing ({data})", "Epochs", "Validation NDCG@100",
                results.Figure1.Select(c => new LineSeries(c.Label,
                    c.Run.History!.Select(h => (double)h.Epoch).ToArray(), c.Run.History!.Select(h => h.ValidationNdcg100).ToArray())).ToArray());
            files.Add(Figure1);
        }
        if (results.Figure3 is { } f3)
        {
            var groups = f3.Comparison.Groups.Select(g => new BarGroup(
                $"[{g.Index * 20}%, {(g.Index + 1) * 20}%]\n{g.MinFoldIn}-{g.MaxFoldIn} clicks",
                [g.First.Mean, g.Second.Mean], [g.First.StandardError, g.Second.StandardError], g.Test.Stars)).ToArray();
            GroupedBarPlot.Save(Path.Combine(folder, Figure3), $"Figure 3: test NDCG@100 by user activity ({data})", "NDCG@100",
                [f3.First.Model, f3.Second.Model], groups);
            files.Add(Figure3);
        }
        if (results.Table2.Count > 0)
        {
            BarPlot.Save(Path.Combine(folder, Table2), $"Table 2: test NDCG@100 ({data})", "NDCG@100",
                results.Table2.Select(r => (r.Model, r.Run.Metric("NDCG@100").Mean, r.Run.Metric("NDCG@100").StandardError)).ToArray());
            files.Add(Table2);
        }
        if (results.Table4.Count > 0)
        {
            var vaes = results.Table4.Where(r => r.Model.EndsWith("VAE^PR", StringComparison.Ordinal)).ToArray();
            var daes = results.Table4.Where(r => r.Model.EndsWith("DAE", StringComparison.Ordinal)).ToArray();
            var groups = vaes.Zip(daes, (v, d) => new BarGroup(v.Model.Split('-')[0],
                [v.Run.Metric("NDCG@100").Mean, d.Run.Metric("NDCG@100").Mean],
                [v.Run.Metric("NDCG@100").StandardError, d.Run.Metric("NDCG@100").StandardError], "")).ToArray();
            GroupedBarPlot.Save(Path.Combine(folder, Table4), $"Table 4: test NDCG@100 by likelihood ({data})", "NDCG@100", ["VAE^PR", "DAE"], groups);
            files.Add(Table4);
        }
        return files;
    }
}
