using System.Globalization;
using System.Text.Json;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;

namespace VaeCfCluster.Client.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static void AssertNoStackTrace(VaecfProcess.Result result)
    {
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.DoesNotContain("Exception:", result.StandardError);
    }

    [Fact]
    public void TrainThenEvaluateAndRecommend_SmallCsv_SavesModelWhoseMetricsEvaluateAgain()
    {
        var csv = PlantedCsv.Write(_folder);
        var output = Path.Combine(_folder, "run");
        var train = VaecfProcess.Run(_folder, "train", "--data", csv, "--format", "csv", "--epochs", "3", "--batch-size", "64",
            "--heldout-users", "40", "--hidden", "32", "--latent", "8", "--out", output);
        Assert.True(train.ExitCode == 0, train.StandardError);
        Assert.Contains("NDCG@100", train.StandardOutput);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "training.jsonl")).Length);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        double trainedNdcg = metrics.RootElement.GetProperty("test").GetProperty("NDCG@100").GetProperty("mean").GetDouble();

        var evaluate = VaecfProcess.Run(_folder, "evaluate", "--model", Path.Combine(output, "model.vaecf"),
            "--data", csv, "--format", "csv", "--heldout-users", "40", "--breakdown");
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        Assert.Contains(trainedNdcg.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), evaluate.StandardOutput);
        Assert.Contains("Q5", evaluate.StandardOutput);

        var dae = VaecfProcess.Run(_folder, "train", "--data", csv, "--format", "csv", "--epochs", "2", "--batch-size", "64",
            "--heldout-users", "40", "--model", "dae", "--latent", "8", "--out", Path.Combine(_folder, "dae"));
        Assert.True(dae.ExitCode == 0, dae.StandardError);
        var compare = VaecfProcess.Run(_folder, "evaluate", "--model", Path.Combine(output, "model.vaecf"), "--compare-with",
            Path.Combine(_folder, "dae", "model.vaecf"), "--data", csv, "--format", "csv", "--heldout-users", "40");
        Assert.True(compare.ExitCode == 0, compare.StandardError);
        Assert.Contains("run vs dae (paired t-test)", compare.StandardOutput);
        Assert.Contains("all users: mean difference", compare.StandardOutput);

        var recommend = VaecfProcess.Run(_folder, "recommend", "--model", Path.Combine(output, "model.vaecf"),
            "--items", "item0,item1,item2", "--top", "5");
        Assert.True(recommend.ExitCode == 0, recommend.StandardError);
        var lines = recommend.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.DoesNotContain(lines, l => l.EndsWith(" item0") || l.EndsWith(" item1") || l.EndsWith(" item2"));

        // Every user of a file at once: user a's list is the one-history list above; b's is b's own.
        var histories = Path.Combine(_folder, "histories.csv");
        File.WriteAllText(histories, "user,item\na,item0\nb,item3\na,item1\nc,nosuchitem\na,item2\n");
        var recs = Path.Combine(_folder, "recs", "top5.csv");
        var many = VaecfProcess.Run(_folder, "recommend", "--model", Path.Combine(output, "model.vaecf"), "--histories", histories,
            "--out", recs, "--top", "5", "--batch-size", "2");
        Assert.True(many.ExitCode == 0, many.StandardError);
        Assert.Contains("1 rows on items the model does not know dropped (e.g. nosuchitem)", many.StandardError);
        Assert.Contains("wrote " + recs + ": 15 recommendations for 3 users", many.StandardError);
        var written = File.ReadAllLines(recs);
        Assert.Equal("user,item,rank", written[0]);
        string[] ItemsOf(string user) => written.Skip(1).Where(l => l.StartsWith(user + ",")).Select(l => l.Split(',')[1]).ToArray();
        Assert.Equal(lines.Select(l => l.Split(' ')[^1]), ItemsOf("a"));
        var b = VaecfProcess.Run(_folder, "recommend", "--model", Path.Combine(output, "model.vaecf"), "--items", "item3", "--top", "5");
        Assert.Equal(b.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[^1]), ItemsOf("b"));
        Assert.Equal(["1", "2", "3", "4", "5"], written.Skip(1).Where(l => l.StartsWith("c,")).Select(l => l.Split(',')[2]));

        // Scored in place (--low-memory: the item-sized layers read from the file by item range), the lists and the
        // metrics are the same.
        var inPlace = VaecfProcess.Run(_folder, "recommend", "--model", Path.Combine(output, "model.vaecf"), "--items", "item0,item1,item2",
            "--top", "5", "--low-memory");
        Assert.True(inPlace.ExitCode == 0, inPlace.StandardError);
        Assert.Contains("is scored in place", inPlace.StandardError);
        Assert.Equal(lines, inPlace.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var inPlaceRecs = Path.Combine(_folder, "recs", "in-place.csv");
        var manyInPlace = VaecfProcess.Run(_folder, "recommend", "--model", Path.Combine(output, "model.vaecf"), "--histories", histories,
            "--out", inPlaceRecs, "--top", "5", "--batch-size", "2", "--low-memory");
        Assert.True(manyInPlace.ExitCode == 0, manyInPlace.StandardError);
        Assert.Equal(written, File.ReadAllLines(inPlaceRecs));
        var evaluateInPlace = VaecfProcess.Run(_folder, "evaluate", "--model", Path.Combine(output, "model.vaecf"),
            "--data", csv, "--format", "csv", "--heldout-users", "40", "--low-memory");
        Assert.True(evaluateInPlace.ExitCode == 0, evaluateInPlace.StandardError);
        Assert.Contains(trainedNdcg.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), evaluateInPlace.StandardOutput);
        // A small model is loaded whole unless asked.
        Assert.DoesNotContain("scored in place", many.StandardError);

        // A bad line is named, and neither a file nor a temporary file is left.
        File.WriteAllText(histories, "user,item\na,item0\nb\n");
        var badRecs = Path.Combine(_folder, "bad", "recs.csv");
        var bad = VaecfProcess.Run(_folder, "recommend", "--model", Path.Combine(output, "model.vaecf"), "--histories", histories, "--out", badRecs);
        Assert.Equal(2, bad.ExitCode);
        AssertNoStackTrace(bad);
        Assert.Contains("histories.csv:3: field 'columns'", bad.StandardError);
        Assert.False(Directory.Exists(Path.GetDirectoryName(badRecs)) && Directory.EnumerateFiles(Path.GetDirectoryName(badRecs)!).Any());
    }

    [Fact]
    public void Evaluate_CompareWithEase_PairsTheModelWithTheBaselineRunOnItsOwn()
    {
        var csv = PlantedCsv.Write(_folder);
        string[] split = ["--data", csv, "--format", "csv", "--heldout-users", "40"];
        var train = VaecfProcess.Run(_folder, ["train", .. split, "--model", "dae", "--epochs", "3", "--batch-size", "64", "--latent", "8",
            "--single-process", "--out", Path.Combine(_folder, "dae")]);
        Assert.True(train.ExitCode == 0, train.StandardError);
        var ease = VaecfProcess.Run(_folder, ["baseline", .. split, "--name", "ease", "--ease-lambda", "50", "--out", Path.Combine(_folder, "ease")]);
        Assert.True(ease.ExitCode == 0, ease.StandardError);
        double TestNdcg(string run)
        {
            using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, run, "metrics.json")));
            return metrics.RootElement.GetProperty("test").GetProperty("NDCG@100").GetProperty("mean").GetDouble();
        }

        var compare = VaecfProcess.Run(_folder, ["evaluate", "--model", Path.Combine(_folder, "dae", "model.vaecf"), "--compare-with", "ease:50", .. split]);

        Assert.True(compare.ExitCode == 0, compare.StandardError);
        Assert.Contains("dae vs ease-lambda-50 (paired t-test)", compare.StandardOutput);
        var line = compare.StandardOutput.Split('\n').Single(l => l.Contains("all users: mean difference"));
        double difference = double.Parse(line.Split("mean difference ")[1].Split(',')[0], CultureInfo.InvariantCulture);
        Assert.Equal(TestNdcg("dae") - TestNdcg("ease"), difference, 1e-4);

        var bad = VaecfProcess.Run(_folder, ["evaluate", "--model", Path.Combine(_folder, "dae", "model.vaecf"), "--compare-with", "ease:-3", .. split]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--compare-with ease:-3: EASE's λ must be a positive number", bad.StandardError);
        AssertNoStackTrace(bad);
    }

    [Fact]
    public void Train_InProcessClusterAndSingleProcess_SameBestEpochAndTestMetrics()
    {
        var csv = PlantedCsv.Write(_folder);
        string[] common = ["train", "--data", csv, "--format", "csv", "--epochs", "3", "--batch-size", "64", "--heldout-users", "40",
            "--hidden", "32", "--latent", "8"];
        var cluster = VaecfProcess.Run(_folder, [.. common, "--out", Path.Combine(_folder, "cluster")]);
        var single = VaecfProcess.Run(_folder, [.. common, "--single-process", "--out", Path.Combine(_folder, "single")]);
        Assert.True(cluster.ExitCode == 0, cluster.StandardError);
        Assert.True(single.ExitCode == 0, single.StandardError);
        Assert.Contains("cluster: 1 silo(s), 1 worker(s)", cluster.StandardError);
        Assert.DoesNotContain("cluster:", single.StandardError);
        using var a = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "cluster", "metrics.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "single", "metrics.json")));
        Assert.Equal(b.RootElement.GetProperty("bestEpoch").GetInt32(), a.RootElement.GetProperty("bestEpoch").GetInt32());
        foreach (var metric in new[] { "Recall@20", "Recall@50", "NDCG@100" })
            Assert.Equal(b.RootElement.GetProperty("test").GetProperty(metric).GetProperty("mean").GetDouble(),
                a.RootElement.GetProperty("test").GetProperty(metric).GetProperty("mean").GetDouble());
        var status = VaecfProcess.Run(_folder, "status", "--out", Path.Combine(_folder, "cluster"));
        Assert.True(status.ExitCode == 0, status.StandardError);
        Assert.Contains("completed, epoch 3/3", status.StandardOutput);
    }

    [Fact]
    public void Train_Patience_StopsAfterTheFirstEpochWithoutABetterValidationScore_OnTheClusterAndInOneProcess()
    {
        var csv = PlantedCsv.Write(_folder);
        string[] common = ["train", "--data", csv, "--format", "csv", "--epochs", "15", "--patience", "1", "--batch-size", "64",
            "--heldout-users", "40", "--hidden", "32", "--latent", "8", "--lr", "0.01"];
        var single = VaecfProcess.Run(_folder, [.. common, "--single-process", "--out", Path.Combine(_folder, "single")]);
        var cluster = VaecfProcess.Run(_folder, [.. common, "--out", Path.Combine(_folder, "cluster")]);
        Assert.True(single.ExitCode == 0, single.StandardError);
        Assert.True(cluster.ExitCode == 0, cluster.StandardError);

        // With patience 1 the run ends after the first epoch whose validation NDCG@100 is not above every earlier one.
        var curve = File.ReadAllLines(Path.Combine(_folder, "single", "training.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("ValidationNdcg100").GetDouble()).ToArray();
        int stop = Enumerable.Range(1, curve.Length - 1).First(e => curve[e] <= curve.Take(e).Max()) + 1;
        Assert.Equal(stop, curve.Length);
        Assert.InRange(stop, 2, 14);
        foreach (var (run, output) in new[] { ("single", single), ("cluster", cluster) })
        {
            using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, run, "metrics.json")));
            Assert.True(metrics.RootElement.GetProperty("stoppedEarly").GetBoolean(), run);
            Assert.Equal(stop, metrics.RootElement.GetProperty("epochsRun").GetInt32());
            Assert.Equal(stop - 1, metrics.RootElement.GetProperty("bestEpoch").GetInt32());
            Assert.Contains($"stopped early after epoch {stop} of 15: no better validation NDCG@100 for 1 epochs since epoch {stop - 1}", output.StandardOutput);
            Assert.Contains("early stop after 1 epochs without a better validation NDCG@100", output.StandardError);
        }
        var status = VaecfProcess.Run(_folder, "status", "--out", Path.Combine(_folder, "cluster"));
        Assert.True(status.ExitCode == 0, status.StandardError);
        Assert.Contains($"completed, epoch {stop}/15 (stopped early)", status.StandardOutput);
    }

    [Fact]
    public void Train_MalformedLine_OneClearErrorNamingFileLineAndFieldAndNothingWritten()
    {
        var csv = Path.Combine(_folder, "bad.csv");
        File.WriteAllText(csv, "user,item\nu1,i1\nu2\nu3,i3\n");
        var output = Path.Combine(_folder, "run");
        var result = VaecfProcess.Run(_folder, "train", "--data", csv, "--format", "csv", "--out", output);
        Assert.Equal(2, result.ExitCode);
        AssertNoStackTrace(result);
        Assert.Contains("bad.csv:3", result.StandardError);
        Assert.Contains("field", result.StandardError);
        Assert.False(File.Exists(Path.Combine(output, "model.vaecf")));
    }

    [Fact]
    public void DataPrepare_TsvWithChosenColumnsAndRatingFilter_KeepsOnlyHighRatings()
    {
        // Columns: rating, item, user; no header. Users 0-29 rate items 0-9 with 5 and items 10-19 with 1.
        var lines = new List<string>();
        for (int u = 0; u < 30; u++)
            for (int i = 0; i < 20; i++)
                lines.Add($"{(i < 10 ? 5 : 1)}\tmovie{i}\tviewer{u}");
        var tsv = Path.Combine(_folder, "ratings.tsv");
        File.WriteAllLines(tsv, lines);
        var output = Path.Combine(_folder, "split");
        var result = VaecfProcess.Run(_folder, "data", "prepare", "--data", tsv, "--format", "csv", "--delimiter", "tab", "--no-header",
            "--user-column", "2", "--item-column", "1", "--rating-column", "0", "--min-rating", "3.5", "--heldout-users", "3", "--out", output);
        Assert.True(result.ExitCode == 0, result.StandardError);
        var items = File.ReadAllLines(Path.Combine(output, "unique_sid.txt"));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"movie{i}").Order(), items.Order());
        Assert.Equal(24 * 10 + 1, File.ReadAllLines(Path.Combine(output, "train.csv")).Length);
    }

    [Fact]
    public void Train_UnknownDataSet_ListsKnownNames()
    {
        var result = VaecfProcess.Run(_folder, "train", "--data", "ml-99x");
        Assert.Equal(2, result.ExitCode);
        AssertNoStackTrace(result);
        Assert.Contains("ml-1m", result.StandardError);
        Assert.Contains("--format", result.StandardError);
    }

    [Fact]
    public void Evaluate_CorruptedModelFile_RefusedWithChecksumMessage()
    {
        var model = Path.Combine(_folder, "model.vaecf");
        File.WriteAllBytes(model, new byte[100]);
        var result = VaecfProcess.Run(_folder, "evaluate", "--model", model);
        Assert.Equal(2, result.ExitCode);
        AssertNoStackTrace(result);
        Assert.Contains("model.vaecf", result.StandardError);
    }

    [Theory]
    [InlineData("--epochs", "0", "error: --epochs must be at least 1 (was 0).")]
    [InlineData("--dropout", "1.5", "error: --dropout must be in [0, 1) (was 1.5).")]
    [InlineData("--lr", "-1", "error: --lr must be positive (was -1).")]
    [InlineData("--eval-batch-size", "0", "error: --eval-batch-size must be at least 1 (was 0).")]
    [InlineData("--beta-cap", "2", "error: --beta-cap must be in [0, 1] (was 2).")]
    public void Train_BadOptionValue_OneLineNamingTheOption_BeforeReadingTheData(string option, string value, string expected)
    {
        var output = Path.Combine(_folder, "bad-value");
        var result = VaecfProcess.Run(_folder, "train", "--single-process", option, value, "--out", output);

        Assert.Equal(2, result.ExitCode);
        AssertNoStackTrace(result);
        Assert.Equal([expected], result.StandardError.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData(new[] { "train", "--epochs", "abc" }, "error: --epochs: 'abc' is not a whole number.")]
    [InlineData(new[] { "train", "--model", "foo" }, "error: --model: 'foo' is not one of vae, dae, recvae.")]
    [InlineData(new[] { "train", "--lr", "fast" }, "error: --lr: 'fast' is not a number.")]
    [InlineData(new[] { "train", "--bogus" }, "error: Unrecognized command or argument '--bogus'.")]
    public void CommandLine_UnparsableValue_OneLineNamingTheOptionAndExitCode2(string[] arguments, string expected)
    {
        var result = VaecfProcess.Run(_folder, arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([expected, "('vaecf train --help' lists the options)"],
            result.StandardError.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public void Train_UnknownPrecision_NamesTheOptionWithoutTraining()
    {
        var result = VaecfProcess.Run(_folder, "train", "--precision", "fp16", "--out", Path.Combine(_folder, "fp16"));
        Assert.NotEqual(0, result.ExitCode);
        AssertNoStackTrace(result);
        Assert.Contains("--precision", result.StandardError);
        Assert.False(Directory.Exists(Path.Combine(_folder, "fp16")));
    }

    [Fact]
    public void Train_ItemShards_ClusterMatchesSingleProcessAndGaussianIsRefusedBeforeWriting()
    {
        var csv = PlantedCsv.Write(_folder);
        string[] common = ["train", "--data", csv, "--format", "csv", "--epochs", "2", "--batch-size", "64", "--heldout-users", "40",
            "--hidden", "32", "--latent", "8", "--item-shards", "3"];
        var single = VaecfProcess.Run(_folder, [.. common, "--single-process", "--out", Path.Combine(_folder, "single")]);
        var cluster = VaecfProcess.Run(_folder, [.. common, "--out", Path.Combine(_folder, "cluster")]);
        Assert.True(single.ExitCode == 0, single.StandardError);
        Assert.True(cluster.ExitCode == 0, cluster.StandardError);
        Assert.Contains("item shards: 3", single.StandardError);
        Assert.Contains("3 item shard(s)", cluster.StandardError);
        using var a = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "cluster", "metrics.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "single", "metrics.json")));
        Assert.Equal(3, a.RootElement.GetProperty("cluster").GetProperty("ItemShards").GetInt32());
        Assert.Equal(b.RootElement.GetProperty("bestEpoch").GetInt32(), a.RootElement.GetProperty("bestEpoch").GetInt32());
        foreach (var metric in new[] { "Recall@20", "Recall@50", "NDCG@100" })
            Assert.Equal(b.RootElement.GetProperty("test").GetProperty(metric).GetProperty("mean").GetDouble(),
                a.RootElement.GetProperty("test").GetProperty(metric).GetProperty("mean").GetDouble(), 4);

        var refused = Path.Combine(_folder, "refused");
        var result = VaecfProcess.Run(_folder, [.. common, "--likelihood", "gaussian", "--out", refused]);
        Assert.Equal(2, result.ExitCode);
        AssertNoStackTrace(result);
        Assert.Contains("multinomial", result.StandardError);
        Assert.False(Directory.Exists(refused));
    }

    [Fact]
    public void Train_RecVaeWithWorkers_RunsOnAnInProcessClusterAndTrainsTheSingleProcessModel()
    {
        var csv = PlantedCsv.Write(_folder);
        string[] common = ["train", "--data", csv, "--format", "csv", "--model", "recvae", "--epochs", "2", "--batch-size", "64",
            "--heldout-users", "40", "--hidden", "32", "--latent", "8", "--encoder-layers", "2", "--threads", "1"];
        var single = Path.Combine(_folder, "recvae-single");
        var cluster = Path.Combine(_folder, "recvae-cluster");
        var one = VaecfProcess.Run(_folder, [.. common, "--out", single]);
        Assert.True(one.ExitCode == 0, one.StandardError);
        var two = VaecfProcess.Run(_folder, [.. common, "--workers", "2", "--out", cluster]);
        Assert.True(two.ExitCode == 0, two.StandardError);
        Assert.Contains("on an in-process cluster", two.StandardError);
        Assert.Contains("2 worker(s)", two.StandardOutput);

        using var a = JsonDocument.Parse(File.ReadAllText(Path.Combine(single, "metrics.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(Path.Combine(cluster, "metrics.json")));
        Assert.Equal(2, b.RootElement.GetProperty("cluster").GetProperty("Workers").GetInt32());
        double Ndcg(JsonDocument d) => d.RootElement.GetProperty("test").GetProperty("NDCG@100").GetProperty("mean").GetDouble();
        Assert.Equal(Ndcg(a), Ndcg(b), 4);
        Assert.Equal(a.RootElement.GetProperty("bestEpoch").GetInt32(), b.RootElement.GetProperty("bestEpoch").GetInt32());
        Assert.True(File.Exists(Path.Combine(cluster, "model.recvae")));
        // The same command again finds the finished job in the in-process cluster's storage and trains nothing more.
        var again = VaecfProcess.Run(_folder, [.. common, "--workers", "2", "--out", cluster]);
        Assert.True(again.ExitCode == 0, again.StandardError);
        Assert.Contains("resumed after epoch 2", again.StandardError);
    }

    [Fact]
    public void Train_RecVaeWithPrecisionBf16_SaysSoAndRecordsItInTheMetricsAndTheModel()
    {
        var csv = PlantedCsv.Write(_folder);
        var output = Path.Combine(_folder, "recvae-bf16");
        var trained = VaecfProcess.Run(_folder, "train", "--data", csv, "--format", "csv", "--model", "recvae", "--epochs", "1", "--batch-size", "64",
            "--heldout-users", "40", "--hidden", "32", "--latent", "8", "--encoder-layers", "2", "--precision", "bf16", "--out", output);

        Assert.True(trained.ExitCode == 0, trained.StandardError);
        Assert.Contains("bf16 products", trained.StandardError);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal("Bf16", metrics.RootElement.GetProperty("recvae").GetProperty("Precision").GetString());
        using var model = RecVaeModelFile.Load(Path.Combine(output, "model.recvae")).Network;
        Assert.Equal(MatmulPrecision.Bf16, model.Options.Precision);
    }

    [Fact]
    public void Train_RecVae_TrainsInProcessWritesItsFiles_AndRefusesOptionsThatDoNotApply()
    {
        var csv = PlantedCsv.Write(_folder);
        string[] common = ["train", "--data", csv, "--format", "csv", "--model", "recvae", "--epochs", "2", "--batch-size", "64",
            "--heldout-users", "40", "--hidden", "32", "--latent", "8", "--encoder-layers", "2"];
        var output = Path.Combine(_folder, "recvae");
        var trained = VaecfProcess.Run(_folder, [.. common, "--out", output]);
        Assert.True(trained.ExitCode == 0, trained.StandardError);
        Assert.Contains("model: RecVAE, 2 dense layers of 32", trained.StandardError);
        Assert.Contains("Adam lr 0.0005", trained.StandardError);
        Assert.Contains("epoch 2/2", trained.StandardError);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal("recvae", metrics.RootElement.GetProperty("model").GetString());
        Assert.Equal(2, metrics.RootElement.GetProperty("history").GetArrayLength());
        Assert.InRange(metrics.RootElement.GetProperty("test").GetProperty("NDCG@100").GetProperty("mean").GetDouble(), 0.05, 1.0);
        Assert.True(File.Exists(Path.Combine(output, "checkpoint.recvae")));
        Assert.Contains("recvae", trained.StandardOutput);

        // The saved model scores again to the same test NDCG@100, and recommends outside the given history.
        string ndcg = metrics.RootElement.GetProperty("test").GetProperty("NDCG@100").GetProperty("mean").GetDouble().ToString("F4", CultureInfo.InvariantCulture);
        var model = Path.Combine(output, "model.recvae");
        var evaluate = VaecfProcess.Run(_folder, "evaluate", "--model", model, "--data", csv, "--format", "csv", "--heldout-users", "40");
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardError);
        Assert.Contains(ndcg, evaluate.StandardOutput);
        var recommend = VaecfProcess.Run(_folder, "recommend", "--model", model, "--items", "item0,item1", "--top", "4");
        Assert.True(recommend.ExitCode == 0, recommend.StandardError);
        var lines = recommend.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.DoesNotContain(lines, l => l.EndsWith(" item0") || l.EndsWith(" item1"));
        // The batch form ranks RecVAE the same way.
        var histories = Path.Combine(_folder, "recvae-histories.csv");
        File.WriteAllText(histories, "user,item\nu,item1\nu,item0\n");
        var many = VaecfProcess.Run(_folder, "recommend", "--model", model, "--histories", histories, "--out", Path.Combine(_folder, "recvae-recs.csv"), "--top", "4");
        Assert.True(many.ExitCode == 0, many.StandardError);
        Assert.Equal(lines.Select(l => l.Split(' ')[^1]), File.ReadAllLines(Path.Combine(_folder, "recvae-recs.csv")).Skip(1).Select(l => l.Split(',')[1]));
        // Scored in place (the first layer's rows and the decoder read from the file by item range), the list, the
        // file and the metrics are the same.
        var inPlace = VaecfProcess.Run(_folder, "recommend", "--model", model, "--items", "item0,item1", "--top", "4", "--low-memory");
        Assert.True(inPlace.ExitCode == 0, inPlace.StandardError);
        Assert.Contains("is scored in place", inPlace.StandardError);
        Assert.Equal(lines, inPlace.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var manyInPlace = VaecfProcess.Run(_folder, "recommend", "--model", model, "--histories", histories,
            "--out", Path.Combine(_folder, "recvae-recs-in-place.csv"), "--top", "4", "--low-memory");
        Assert.True(manyInPlace.ExitCode == 0, manyInPlace.StandardError);
        Assert.Equal(File.ReadAllLines(Path.Combine(_folder, "recvae-recs.csv")), File.ReadAllLines(Path.Combine(_folder, "recvae-recs-in-place.csv")));
        var evaluateInPlace = VaecfProcess.Run(_folder, "evaluate", "--model", model, "--data", csv, "--format", "csv", "--heldout-users", "40", "--low-memory");
        Assert.True(evaluateInPlace.ExitCode == 0, evaluateInPlace.StandardError);
        Assert.Contains(ndcg, evaluateInPlace.StandardOutput);

        // Running the same command again resumes from the checkpoint: nothing left to train.
        var again = VaecfProcess.Run(_folder, [.. common, "--out", output]);
        Assert.True(again.ExitCode == 0, again.StandardError);
        Assert.Contains("resuming after epoch 2", again.StandardError);
        Assert.DoesNotContain("epoch 1/2", again.StandardError);
        var bytes = File.ReadAllBytes(model);
        bytes[^40] ^= 1;
        File.WriteAllBytes(model, bytes);
        var corruptedInPlace = VaecfProcess.Run(_folder, "recommend", "--model", model, "--items", "item0", "--low-memory");
        Assert.Equal(2, corruptedInPlace.ExitCode);
        AssertNoStackTrace(corruptedInPlace);
        Assert.Contains("model.recvae", corruptedInPlace.StandardError);
        Assert.Contains("checksum", corruptedInPlace.StandardError);
        var corrupted = VaecfProcess.Run(_folder, "recommend", "--model", model, "--items", "item0");
        Assert.Equal(2, corrupted.ExitCode);
        AssertNoStackTrace(corrupted);
        Assert.Contains("model.recvae", corrupted.StandardError);

        foreach (var (extra, message) in new[] { (new[] { "--weight-decay", "0.1" }, "--weight-decay"), (["--item-shards", "2"], "--item-shards"),
                     // RecVAE runs on a cluster now; one that cannot be reached is named, and nothing is written.
                     (["--cluster", "127.0.0.1:30000"], "--cluster"),
                     (["--likelihood", "gaussian"], "multinomial"),
                     (["--lr-schedule", "cosine"], "--lr-schedule") })
        {
            var refused = Path.Combine(_folder, "refused");
            var result = VaecfProcess.Run(_folder, [.. common, .. extra, "--out", refused]);
            Assert.Equal(2, result.ExitCode);
            AssertNoStackTrace(result);
            Assert.Contains(message, result.StandardError);
            Assert.False(Directory.Exists(refused));
        }
    }

    [Fact]
    public void Tune_TwoSplitSeeds_ReportsAcrossSeedsAgainstEase_AndAGrownSearchRunsOnlyTheNewTrial()
    {
        var csv = PlantedCsv.Write(_folder);
        string[] common = ["tune", "--data", csv, "--format", "csv", "--heldout-users", "40", "--split-seeds", "1,2", "--epochs", "2",
            "--compare", "dae", "--baselines", "ease", "--ease-lambda", "100,500", "--out", Path.Combine(_folder, "tune")];
        var first = VaecfProcess.Run(_folder, [.. common, "--trials", "2"]);
        Assert.True(first.ExitCode == 0, first.StandardError);
        string report = File.ReadAllText(Path.Combine(_folder, "tune", "tune.md"));
        Assert.Contains("## Across split seeds", report);
        Assert.Contains("| 1 (defaults) |", report);
        Assert.Contains("Best VAE-family model by validation NDCG@100:", report);

        var rows = File.ReadAllLines(Path.Combine(_folder, "tune", "runs.csv")).Skip(1).Select(SplitCsvLine).ToList();
        Assert.Equal(6, rows.Count); // Mult-DAE, tuned RecVAE and EASE on two seeds
        foreach (var seed in new[] { "1", "2" })
        {
            double ease = double.Parse(rows.Single(r => r[0] == "EASE" && r[1] == seed)[8], CultureInfo.InvariantCulture);
            foreach (var row in rows.Where(r => r[0] != "EASE" && r[1] == seed))
                Assert.Equal(double.Parse(row[8], CultureInfo.InvariantCulture) - ease, double.Parse(row[11], CultureInfo.InvariantCulture), 9);
        }

        var grown = VaecfProcess.Run(_folder, [.. common, "--trials", "3"]);
        Assert.True(grown.ExitCode == 0, grown.StandardError);
        var started = grown.StandardError.Split('\n').Where(l => l.StartsWith("run ") && l.Contains(" on split seed ")).ToList();
        // Only the new trial runs (on the search's seed); if it is the new best, the tuned model also runs on seed 2.
        Assert.InRange(started.Count, 1, 2);
        Assert.All(started, l => Assert.Contains(": recvae (", l));
        Assert.Contains("on split seed 1", started[0]);
        if (started.Count == 2)
        {
            Assert.Contains("on split seed 2", started[1]);
            Assert.Matches(@"\| 3 \| [^|]*\*\*\(best\)\*\*", File.ReadAllText(Path.Combine(_folder, "tune", "tune.md")));
        }

        var again = VaecfProcess.Run(_folder, [.. common, "--trials", "3"]);
        Assert.True(again.ExitCode == 0, again.StandardError);
        Assert.DoesNotContain(" on split seed ", again.StandardError);

        // Other training settings are other runs: nothing is reused for the autoencoders, the baselines stay.
        var longer = VaecfProcess.Run(_folder, [.. common.Select(a => a == "2" ? "3" : a), "--trials", "1"]);
        Assert.True(longer.ExitCode == 0, longer.StandardError);
        var rerun = longer.StandardError.Split('\n').Where(l => l.StartsWith("run ") && l.Contains(" on split seed ")).ToList();
        Assert.Contains(rerun, l => l.Contains(": recvae ("));
        Assert.Contains(rerun, l => l.Contains(": dae ("));
        Assert.DoesNotContain(rerun, l => l.Contains(": ease ("));
        // So is another precision: bf16 runs of the autoencoders are new runs, the baselines' are reused.
        var bf16 = VaecfProcess.Run(_folder, [.. common, "--trials", "1", "--precision", "bf16"]);
        Assert.True(bf16.ExitCode == 0, bf16.StandardError);
        var bf16Runs = bf16.StandardError.Split('\n').Where(l => l.StartsWith("run ") && l.Contains(" on split seed ")).ToList();
        Assert.Contains(bf16Runs, l => l.Contains(": recvae ("));
        Assert.Contains(bf16Runs, l => l.Contains(": dae ("));
        Assert.DoesNotContain(bf16Runs, l => l.Contains(": ease ("));

        var refused = VaecfProcess.Run(_folder, [.. common.Select(a => a == "1,2" ? "1,1" : a)]);
        Assert.Equal(2, refused.ExitCode);
        AssertNoStackTrace(refused);
        Assert.Contains("--split-seeds", refused.StandardError);
    }

    private static string[] SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }

    [Fact]
    public void Help_Train_ExplainsDefaults()
    {
        var result = VaecfProcess.Run(_folder, "train", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--beta-cap", result.StandardOutput);
        Assert.Contains("synthetic", result.StandardOutput);
        Assert.Contains("--precision", result.StandardOutput);
    }
}
