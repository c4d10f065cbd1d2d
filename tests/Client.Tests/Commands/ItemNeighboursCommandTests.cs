using System.Globalization;
using System.Text.Json;

namespace VaeCfCluster.Client.Tests.Commands;

/// <summary>
/// <c>vaecf train --item-neighbours</c>: trains in one process and on the in-process cluster to the same model, and its
/// saved model evaluates to the same figures.
/// </summary>
public sealed class ItemNeighboursCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-neighbours-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Train_SingleProcess_SavesAModelWhoseMetricsEvaluateAgain()
    {
        var csv = PlantedCsv.Write(_folder);
        string[] split = ["--data", csv, "--format", "csv", "--heldout-users", "40"];
        var output = Path.Combine(_folder, "run");
        var train = VaecfProcess.Run(_folder, ["train", .. split, "--model", "dae", "--latent", "8", "--epochs", "3", "--batch-size", "64",
            "--item-neighbours", "12", "--neighbour-weight-decay", "0.001", "--single-process", "--out", output]);
        Assert.True(train.ExitCode == 0, train.StandardError);
        Assert.Contains("item-item term over 12 neighbours", train.StandardError);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        double ndcg = metrics.RootElement.GetProperty("test").GetProperty("NDCG@100").GetProperty("mean").GetDouble();

        var evaluate = VaecfProcess.Run(_folder, ["evaluate", "--model", Path.Combine(output, "model.vaecf"), .. split]);
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        Assert.Contains(ndcg.ToString("F4", CultureInfo.InvariantCulture), evaluate.StandardOutput);

        // It recommends outside the history; an id not in the catalog is named with what the ids look like.
        var recommend = VaecfProcess.Run(_folder, "recommend", "--model", Path.Combine(output, "model.vaecf"), "--items", "item0,item1", "--top", "3");
        Assert.True(recommend.ExitCode == 0, recommend.StandardError);
        var lines = recommend.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.DoesNotContain(lines, l => l.EndsWith(" item0") || l.EndsWith(" item1"));
        var unknown = VaecfProcess.Run(_folder, "recommend", "--model", Path.Combine(output, "model.vaecf"), "--items", "0,1");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("item '0' is not in the model's catalog", unknown.StandardError);
        Assert.Contains("its ids look like item", unknown.StandardError);
        Assert.DoesNotContain("   at ", unknown.StandardError);
    }

    [Fact]
    public void Train_OnTheInProcessCluster_GivesTheSingleProcessMetrics()
    {
        var csv = PlantedCsv.Write(_folder);
        // One worker and one LibTorch thread compute exactly the single process's gradients; two parameter shards
        // update the term's weights (the last block) with its own weight decay.
        string[] common = ["--data", csv, "--format", "csv", "--heldout-users", "40", "--model", "dae", "--latent", "8", "--epochs", "2",
            "--batch-size", "64", "--threads", "1", "--likelihood", "gaussian", "--c1", "2", "--c0", "1",
            "--item-neighbours", "12", "--neighbour-weight-decay", "0.05"];
        var single = VaecfProcess.Run(_folder, ["train", .. common, "--single-process", "--out", Path.Combine(_folder, "single")]);
        var cluster = VaecfProcess.Run(_folder, ["train", .. common, "--workers", "1", "--shards", "2", "--out", Path.Combine(_folder, "cluster")]);
        Assert.True(single.ExitCode == 0, single.StandardError);
        Assert.True(cluster.ExitCode == 0, cluster.StandardError);
        Assert.Contains("item-item term over 12 neighbours", cluster.StandardError);

        Assert.Equal(TestNdcg(Path.Combine(_folder, "single")), TestNdcg(Path.Combine(_folder, "cluster")), 1e-6);
    }

    [Fact]
    public void Train_WithItemShards_IsRefusedNamingBothOptions()
    {
        var csv = PlantedCsv.Write(_folder);
        var output = Path.Combine(_folder, "shards");
        var train = VaecfProcess.Run(_folder, "train", "--data", csv, "--format", "csv", "--heldout-users", "40", "--model", "dae",
            "--epochs", "1", "--item-neighbours", "12", "--item-shards", "2", "--single-process", "--out", output);
        Assert.NotEqual(0, train.ExitCode);
        Assert.Contains("--item-shards 2 does not support --item-neighbours", train.StandardError);
        Assert.DoesNotContain("   at ", train.StandardError);
        Assert.False(File.Exists(Path.Combine(output, "model.vaecf")));
    }

    private static double TestNdcg(string run)
    {
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        return metrics.RootElement.GetProperty("test").GetProperty("NDCG@100").GetProperty("mean").GetDouble();
    }
}
