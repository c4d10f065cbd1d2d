namespace VaeCfCluster.Client.Tests.Experiments;

/// <summary><c>vaecf experiment --split-seeds</c>: one report per seed and a summary across seeds that agrees with them.</summary>
public sealed class ExperimentSplitSeedsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-seeds-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TwoSplitSeeds_EachGetsItsReport_AndSeedsMdSummarisesThem()
    {
        var csv = PlantedCsv.Write(_folder);
        var root = Path.Combine(_folder, "experiment");
        var result = VaecfProcess.Run(_folder, "experiment", "--data", csv, "--format", "csv", "--heldout-users", "40", "--studies", "table2",
            "--epochs", "2", "--batch-size", "64", "--baselines", "ease", "--ease-lambda", "200", "--dae-weight-decay", "0.01",
            "--single-process", "--split-seeds", "5,6", "--out", root);
        Assert.True(result.ExitCode == 0, result.StandardError);
        var summary = CsvTable.Read(Path.Combine(root, "seeds.csv"));
        string seedsMd = File.ReadAllText(Path.Combine(root, "seeds.md"));
        Assert.Contains("## Across split seeds", seedsMd);
        var means = new Dictionary<string, List<double>>();
        foreach (var seed in new[] { "5", "6" })
        {
            var table = CsvTable.Read(Path.Combine(root, $"split-{seed}", "table2.csv"));
            Assert.True(File.Exists(Path.Combine(root, $"split-{seed}", "report.md")));
            double ease = table.Number(table.Row("model", "EASE"), "ndcg100");
            foreach (var row in table.Rows)
            {
                string model = table.Text(row, "model");
                var mine = summary.Rows.Single(r => summary.Text(r, "model") == model && summary.Text(r, "split_seed") == seed);
                double ndcg = table.Number(row, "ndcg100");
                Assert.Equal(ndcg, summary.Number(mine, "ndcg100"), 12);
                if (model != "EASE") Assert.Equal(ndcg - ease, summary.Number(mine, "ndcg100_minus_ease"), 9);
                (means.TryGetValue(model, out var list) ? list : means[model] = []).Add(ndcg);
            }
        }
        // The across-seeds cell is the mean of the two seeds' values with the standard error of that mean.
        foreach (var (model, values) in means)
        {
            double mean = values.Average(), se = Math.Abs(values[0] - values[1]) / 2;
            Assert.Contains(FormattableString.Invariant($"| {model} | "), seedsMd);
            Assert.Contains(FormattableString.Invariant($"{mean:F4} ± {se:F4} |"), seedsMd);
        }
    }
}
