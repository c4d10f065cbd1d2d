using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Client.Tests.Experiments;

/// <summary>
/// The report of a small <c>vaecf experiment</c> on ml-100k holds exactly the numbers that direct calls to the trainer,
/// the baselines and the evaluators give, and its plots are real PNG files.
/// </summary>
public sealed class ExperimentReportTests(SmallExperiment experiment) : IClassFixture<SmallExperiment>
{
    private const int Digits = 10;

    private CsvTable Csv(string name)
    {
        Assert.True(experiment.First.ExitCode == 0, experiment.First.StandardError);
        return CsvTable.Read(Path.Combine(experiment.Folder, name));
    }

    private static void AssertMetrics(CsvTable table, string[] row, EvaluationResult expected)
    {
        foreach (var summary in expected.Summaries)
        {
            string column = summary.Metric.Name.Replace("@", "").ToLowerInvariant();
            Assert.Equal(summary.Mean, table.Number(row, column), Digits);
            Assert.Equal(summary.StandardError, table.Number(row, column + "_se"), Digits);
        }
        Assert.Equal(expected.EvaluatedUserCount, (int)table.Number(row, "test_users"));
    }

    [RequiresDataSetFact("ml-100k")]
    public void Table2_AutoencoderRows_EqualDirectTrainerRuns()
    {
        var direct = DirectRuns.Get();
        var table = Csv("table2.csv");
        AssertMetrics(table, table.Row("model", "Mult-VAE^PR"), direct.Vae.Test);
        AssertMetrics(table, table.Row("model", "Mult-DAE"), direct.Dae.Test);
        Assert.Equal(direct.Vae.BestValidationNdcg100, table.Number(table.Row("model", "Mult-VAE^PR"), "validation_ndcg100"), Digits);
    }

    [RequiresDataSetFact("ml-100k")]
    public void Table2_BaselineRows_EqualDirectFitsAndTheChosenLambda()
    {
        var direct = DirectRuns.Get();
        var table = Csv("table2.csv");
        AssertMetrics(table, table.Row("model", "Popularity"), direct.Popularity);
        var ease = table.Row("model", "EASE");
        AssertMetrics(table, ease, direct.Ease);
        Assert.Equal($"λ = {direct.EaseLambda}", table.Text(ease, "setting"));
        Assert.Equal(2, (int)table.Number(ease, "candidates"));
    }

    [RequiresDataSetFact("ml-100k")]
    public void Figure1_Curves_EqualTrainerHistories()
    {
        var direct = DirectRuns.Get();
        var table = Csv("figure1.csv");
        // Curves in order: no annealing, annealing to 1, capped at the best β (the annealed run itself when that β is 1), automatic.
        var expected = new[] { direct.NoAnneal, direct.AnnealToOne, direct.Vae, direct.Automatic };
        var curves = table.Rows.GroupBy(r => table.Text(r, "curve")).ToArray();
        Assert.Equal(expected.Length, curves.Length);
        foreach (var (result, rows) in expected.Zip(curves))
        {
            Assert.Equal(result.History.Select(h => h.ValidationNdcg100), rows.Select(r => table.Number(r, "validation_ndcg100")), new ToleranceComparer(1e-10));
            Assert.Equal(result.History.Select(h => h.Beta), rows.Select(r => table.Number(r, "beta")), new ToleranceComparer(1e-12));
        }
        Assert.Contains($"β = {Math.Round(direct.BestBeta, 3)}", curves[2].Key);
    }

    [RequiresDataSetFact("ml-100k")]
    public void Figure3_Quintiles_EqualAnIndependentBreakdownAndTTest()
    {
        var direct = DirectRuns.Get();
        var vae = direct.Vae.Test;
        var dae = direct.Dae.Test;
        var metric = RankingMetric.Ndcg(100);
        int n = vae.EvaluatedUserCount;
        var order = Enumerable.Range(0, n).OrderBy(i => vae.FoldInCounts[i]).ThenBy(i => vae.UserIndices[i]).ToArray();
        var table = Csv("figure3.csv");
        for (int g = 0; g < 5; g++)
        {
            var members = order[(g * n / 5)..((g + 1) * n / 5)];
            var a = members.Select(i => vae[metric].Values[i]).ToArray();
            var b = members.Select(i => dae[metric].Values[i]).ToArray();
            var d = a.Zip(b, (x, y) => x - y).ToArray();
            double mean = d.Average();
            double sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
            double se = Math.Sqrt(a.Sum(x => (x - a.Average()) * (x - a.Average())) / a.Length) / Math.Sqrt(a.Length);
            var row = table.Row("group", $"Q{g + 1}");
            Assert.Equal(members.Length, (int)table.Number(row, "users"));
            Assert.Equal(vae.FoldInCounts[members[0]], (int)table.Number(row, "min_fold_in"));
            Assert.Equal(vae.FoldInCounts[members[^1]], (int)table.Number(row, "max_fold_in"));
            Assert.Equal(a.Average(), table.Number(row, "vae_ndcg100"), Digits);
            Assert.Equal(se, table.Number(row, "vae_se"), Digits);
            Assert.Equal(b.Average(), table.Number(row, "dae_ndcg100"), Digits);
            Assert.Equal(mean / (sd / Math.Sqrt(d.Length)), table.Number(row, "t"), 8);
            Assert.Equal(PairedTTestResult.SignificanceStars(table.Number(row, "p")), table.Text(row, "significance"));
        }
    }

    [RequiresDataSetFact("ml-100k")]
    public void Table3_Rows_EqualDirectLeaveOneOutEvaluation()
    {
        var direct = DirectRuns.Get();
        var table = Csv("table3.csv");
        AssertMetrics(table, table.Row("model", "Mult-DAE"), direct.LeaveOneOutDae);
        AssertMetrics(table, table.Row("model", "Popularity"), direct.LeaveOneOutPopularity);
    }

    [RequiresDataSetFact("ml-100k")]
    public void Plots_AreValidPngFilesOfTheRequestedSize()
    {
        Assert.True(experiment.First.ExitCode == 0, experiment.First.StandardError);
        foreach (var name in new[] { "figure1-annealing.png", "figure3-activity.png", "table2-ndcg100.png", "table4-likelihoods.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(experiment.Folder, name));
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
            Assert.Equal(800, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
            Assert.Equal(500, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
            Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(bytes, bytes.Length - 8, 4));
            Assert.InRange(bytes.Length, 5_000, 2_000_000);
            Assert.Contains($"]({name})", File.ReadAllText(Path.Combine(experiment.Folder, "report.md")));
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
