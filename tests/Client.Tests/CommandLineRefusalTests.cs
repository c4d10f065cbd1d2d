using System.Globalization;
using System.Text.Json;

namespace VaeCfCluster.Client.Tests;

/// <summary>
/// Mistakes a user makes on the command line each get one line naming what to fix, exit code 2, and leave their
/// folders as they were; <c>--fresh</c> replaces an earlier run's files only once the new run starts.
/// </summary>
public sealed class CommandLineRefusalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-refusals-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string OneLineRefusal(VaecfProcess.Result result) => Refusal.OneLine(result);

    private string[] Train(string csv, string output, params string[] extra) =>
        ["train", "--single-process", "--data", csv, "--format", "csv", "--epochs", "1", "--batch-size", "64", "--heldout-users", "40",
         "--hidden", "16", "--latent", "4", "--out", output, .. extra];

    [Fact]
    public void Fresh_RefusedRunKeepsTheEarlierFiles_AStartedOneReplacesAllFourTogether()
    {
        var csv = PlantedCsv.Write(_folder);
        var output = Path.Combine(_folder, "run");
        Assert.Equal(0, VaecfProcess.Run(_folder, Train(csv, output)).ExitCode);
        string[] files = ["checkpoint.vaecf", "metrics.json", "model.vaecf", "training.jsonl"];
        var before = files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(output, f)));

        // A device this machine lacks is refused before anything in the folder is touched.
        var refused = VaecfProcess.Run(_folder, Train(csv, output, "--fresh", "--device", "cuda"));
        Assert.Contains("cuda", OneLineRefusal(refused));
        Assert.All(files, f => Assert.Equal(before[f], File.ReadAllBytes(Path.Combine(output, f))));

        // A fresh run that starts says what it removed and writes all four again (another seed: other weights).
        var fresh = VaecfProcess.Run(_folder, Train(csv, output, "--fresh", "--seed", "7"));
        Assert.True(fresh.ExitCode == 0, fresh.StandardError);
        Assert.Contains("--fresh: removed the earlier run's checkpoint.vaecf, training.jsonl, model.vaecf, metrics.json", fresh.StandardError);
        Assert.All(files, f => Assert.True(File.Exists(Path.Combine(output, f)), f));
        Assert.NotEqual(before["model.vaecf"], File.ReadAllBytes(Path.Combine(output, "model.vaecf")));
        Assert.Single(File.ReadAllLines(Path.Combine(output, "training.jsonl")));
    }

    [Fact]
    public void CsvFile_DefaultRunFolderIsNamedAfterTheFile_AndADaeRunSaysNothingOfBeta()
    {
        var csv = PlantedCsv.Write(_folder);
        var result = VaecfProcess.Run(_folder, "train", "--single-process", "--data", csv, "--format", "csv", "--epochs", "1",
            "--batch-size", "64", "--heldout-users", "40", "--model", "dae", "--latent", "4");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.True(File.Exists(Path.Combine(_folder, "runs", "clicks-dae", "model.vaecf")));
        var training = result.StandardError.Split('\n').Single(l => l.StartsWith("training:", StringComparison.Ordinal));
        Assert.DoesNotContain("beta", training);
    }

    [Fact]
    public void OutThatIsAFile_RefusedBeforeAnyWork()
    {
        var file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "keep");

        foreach (var command in new[] { new[] { "train", "--out", file }, ["baseline", "--name", "popularity", "--out", file] })
        {
            var result = VaecfProcess.Run(_folder, command);
            Assert.Equal($"error: --out: '{file}' is a file, not a folder.", OneLineRefusal(result));
            Assert.DoesNotContain("data:", result.StandardError);
        }
        Assert.Equal("keep", File.ReadAllText(file));

        // A folder below a file cannot be made: refused before the data is read, for every command with --out.
        var below = Path.Combine(file, "sub");
        foreach (var command in new[] { new[] { "train", "--out", below }, ["tune", "--out", below], ["data", "prepare", "--out", below],
                     ["data", "synth", "--out", below], ["experiment", "--out", below] })
        {
            var result = VaecfProcess.Run(_folder, command);
            Assert.Equal($"error: --out: '{below}' lies inside '{file}', which is a file.", OneLineRefusal(result));
            Assert.DoesNotContain("data:", result.StandardError);
        }
        Assert.Empty(Directory.GetFiles(_folder, ".vaecf-write-check-*"));
    }

    [Theory]
    [InlineData(new[] { "tune", "--ease-lambda", "0,100" }, "--ease-lambda: EASE's λ must be positive")]
    [InlineData(new[] { "tune", "--epochs", "0" }, "--epochs must be at least 1 (was 0).")]
    [InlineData(new[] { "tune", "--precision", "tf32" }, "--precision tf32 is for CUDA")]
    [InlineData(new[] { "tune", "--split-seeds", "1,,2" }, "--split-seeds: '1,,2' has an empty value")]
    [InlineData(new[] { "baseline", "--name", "ease", "--ease-lambda", "0" }, "--ease-lambda: EASE's λ must be positive")]
    [InlineData(new[] { "baseline", "--name", "ease", "--wmf-c1", "5" }, "--wmf-c1 is WMF's; it does not apply to --name ease.")]
    public void TuneAndBaselineValues_RefusedBeforeTheDataIsRead(string[] arguments, string expected)
    {
        var result = VaecfProcess.Run(_folder, [.. arguments, "--data", "ml-100k", "--out", Path.Combine(_folder, "refused")]);

        Assert.Contains(expected, OneLineRefusal(result));
        Assert.DoesNotContain("data:", result.StandardError);
        Assert.False(Directory.Exists(Path.Combine(_folder, "refused")));
    }

    [Fact]
    public void ExperimentFresh_RefusedForAMissingDevice_KeepsTheFinishedRuns()
    {
        var csv = PlantedCsv.Write(_folder);
        var runs = Directory.CreateDirectory(Path.Combine(_folder, "report", "runs")).FullName;
        File.WriteAllText(Path.Combine(runs, "experiment-identity.json"), "{}");
        File.WriteAllText(Path.Combine(runs, "vae-multinomial-anneal-to-1.json"), "{}");

        var result = VaecfProcess.Run(_folder, "experiment", "--data", csv, "--format", "csv", "--heldout-users", "40", "--studies", "figure1",
            "--fresh", "--device", "cuda", "--out", Path.Combine(_folder, "report"));

        Assert.Contains("cuda", OneLineRefusal(result));
        Assert.Equal(["experiment-identity.json", "vae-multinomial-anneal-to-1.json"], Directory.GetFiles(runs).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void RecommendForAFileOfUnknownItems_OneRefusalWithoutPromisingARanking_AndDataPrepareOntoAFile_Refused()
    {
        var csv = PlantedCsv.Write(_folder);
        var output = Path.Combine(_folder, "run");
        Assert.Equal(0, VaecfProcess.Run(_folder, Train(csv, output)).ExitCode);
        var histories = Path.Combine(_folder, "unknown.csv");
        File.WriteAllText(histories, "user,item\nu,nosuchitem\nu,another\n");

        var result = VaecfProcess.Run(_folder, "recommend", "--model", Path.Combine(output, "model.vaecf"), "--histories", histories,
            "--out", Path.Combine(_folder, "recs.csv"));

        Assert.Contains("no row names an item of the model's catalog", OneLineRefusal(result));
        Assert.DoesNotContain("histories:", result.StandardError);
        Assert.False(File.Exists(Path.Combine(_folder, "recs.csv")));

        // Every row at or below --min-rating: no click at all, said as such (it used to blame the item ids).
        var low = Path.Combine(_folder, "low.csv");
        var known = File.ReadAllLines(csv)[1].Split(',')[1];
        File.WriteAllText(low, $"user,item,rating\nu,{known},2\nv,{known},3\n");
        var allLow = VaecfProcess.Run(_folder, "recommend", "--model", Path.Combine(output, "model.vaecf"), "--histories", low,
            "--format", "csv", "--rating-column", "2", "--min-rating", "3", "--out", Path.Combine(_folder, "recs.csv"));
        Assert.Contains("every row's rating is at or below the threshold 3 (--min-rating)", OneLineRefusal(allLow));
        Assert.False(File.Exists(Path.Combine(_folder, "recs.csv")));

        // --out naming one of the command's inputs (here by another spelling of the path) would replace it.
        var model = Path.Combine(output, "model.vaecf");
        var modelBytes = File.ReadAllBytes(model);
        var overModel = VaecfProcess.Run(_folder, "recommend", "--model", model, "--histories", csv, "--out", Path.Combine(output, ".", "model.vaecf"));
        Assert.Contains("is the --model file", OneLineRefusal(overModel));
        Assert.Equal(modelBytes, File.ReadAllBytes(model));
        var csvText = File.ReadAllText(csv);
        var overHistories = VaecfProcess.Run(_folder, "recommend", "--model", model, "--histories", csv, "--out", csv);
        Assert.Contains("is the --histories file", OneLineRefusal(overHistories));
        Assert.Equal(csvText, File.ReadAllText(csv));

        var file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "keep");
        var prepare = VaecfProcess.Run(_folder, "data", "prepare", "--data", csv, "--format", "csv", "--out", file);
        Assert.Equal($"error: --out: '{file}' is a file, not a folder.", OneLineRefusal(prepare));
        Assert.DoesNotContain("data:", prepare.StandardError);
    }

    [Fact]
    public void ClusterClientOptionsWithoutCluster_RefusedBeforeTheDataIsRead()
    {
        var detach = VaecfProcess.Run(_folder, "train", "--data", "ml-100k", "--detach");
        Assert.Contains("--detach needs --cluster", OneLineRefusal(detach));
        Assert.DoesNotContain("data:", detach.StandardError);

        var tls = VaecfProcess.Run(_folder, "train", "--single-process", "--tls-cert", "client.pem", "--cluster", "127.0.0.1:1");
        Assert.Contains("--tls-cert goes with --cluster", OneLineRefusal(tls));
    }

    [Fact]
    public void MinRatingWithoutARatingColumn_Refused_WithOneItFilters()
    {
        var csv = Path.Combine(_folder, "rated.csv");
        File.WriteAllLines(csv, ["user,item,rating", .. Enumerable.Range(0, 400).SelectMany(u =>
            Enumerable.Range(0, 20).Select(i => $"u{u},i{(u + i * 7) % 60},{1 + (u + i) % 5}"))]);
        var output = Path.Combine(_folder, "prepared");

        var refused = VaecfProcess.Run(_folder, "data", "prepare", "--data", csv, "--format", "csv", "--min-rating", "3", "--heldout-users", "40", "--out", output);
        Assert.Contains("--min-rating 3 needs --rating-column", OneLineRefusal(refused));
        Assert.False(Directory.Exists(output));

        var prepared = VaecfProcess.Run(_folder, "data", "prepare", "--data", csv, "--format", "csv", "--min-rating", "3", "--rating-column", "2",
            "--heldout-users", "40", "--out", output);
        Assert.True(prepared.ExitCode == 0, prepared.StandardError);
    }

    [Fact]
    public void SplitWithData_Refused_AndAFormatsDefaultHeldOutUsersTooManyForTheFile_SaysWhatToGive()
    {
        var csv = PlantedCsv.Write(_folder, users: 200);
        Assert.Contains("give one or the other", OneLineRefusal(VaecfProcess.Run(_folder, "train", "--split", _folder, "--data", csv, "--format", "csv")));

        // The ml-20m format holds out 10,000 + 10,000 users unless told otherwise.
        var ml20m = Path.Combine(_folder, "ratings.csv");
        File.WriteAllLines(ml20m, ["userId,movieId,rating,timestamp", .. Enumerable.Range(1, 200).SelectMany(u =>
            Enumerable.Range(0, 6).Select(i => $"{u},{1 + (u + i * 11) % 50},5.0,0"))]);
        var line = OneLineRefusal(VaecfProcess.Run(_folder, "train", "--data", ml20m, "--format", "ml-20m", "--out", Path.Combine(_folder, "m")));
        Assert.Contains("holds out 10000 validation and 10000 test users by default, too many for these 200 users; give --heldout-users (for example 20", line);
    }

    [Fact]
    public void RecommendAndEvaluate_MissingModelFolderModelBadTitlesAndEmptyGridValue_RefusedBeforeWork()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "a-folder")).FullName;
        Assert.Equal($"error: --model: '{folder}' is a folder, not a model file.",
            OneLineRefusal(VaecfProcess.Run(_folder, "recommend", "--model", folder, "--items", "x")));
        var missing = VaecfProcess.Run(_folder, "evaluate", "--model", Path.Combine(_folder, "nope.vaecf"), "--data", "ml-100k");
        Assert.Contains("nope.vaecf: file not found", OneLineRefusal(missing));
        Assert.DoesNotContain("data:", missing.StandardError);
        // A file that is not a model by its header is refused before the data is read (the whole file is checked on load).
        var someFile = Path.Combine(_folder, "some.vaecf");
        File.WriteAllText(someFile, "not a model");
        var notModel = VaecfProcess.Run(_folder, "evaluate", "--model", someFile, "--data", "ml-100k");
        Assert.Equal($"error: --model: {someFile}: not a VaeCfCluster checkpoint or model file (bad magic bytes).", OneLineRefusal(notModel));
        Assert.DoesNotContain("data:", notModel.StandardError);
        Assert.Contains("--titles goes with --items", OneLineRefusal(VaecfProcess.Run(_folder, "recommend", "--model", folder,
            "--histories", "h.csv", "--out", "r.csv", "--titles", "ml-1m")));
        Assert.Contains("has an empty value", OneLineRefusal(VaecfProcess.Run(_folder, "baseline", "--name", "ease", "--ease-lambda", "50,,100")));
    }

    [Fact]
    public void Help_NamesEnumValuesAndDefaultsAsTyped_AndNoCommandShowsTheHelp()
    {
        var help = VaecfProcess.Run(_folder, "train", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--model <vae|dae|recvae>", help.StandardOutput);
        Assert.Contains("--precision <fp32|tf32|bf16>", help.StandardOutput);
        Assert.Contains("[default: vae]", help.StandardOutput);
        Assert.DoesNotContain("[default: Vae]", help.StandardOutput);
        Assert.Contains("0.0005", help.StandardOutput);

        var bare = VaecfProcess.Run(_folder);
        Assert.Equal(0, bare.ExitCode);
        Assert.Contains("vaecf COMMAND --help", bare.StandardOutput);
        Assert.Contains("tune", bare.StandardOutput);
    }

    [Fact]
    public void EvaluateAgainstTheSameModel_SaysNoDifferenceInsteadOfNaN()
    {
        var csv = PlantedCsv.Write(_folder);
        var output = Path.Combine(_folder, "run");
        Assert.Equal(0, VaecfProcess.Run(_folder, Train(csv, output)).ExitCode);
        var model = Path.Combine(output, "model.vaecf");

        var result = VaecfProcess.Run(_folder, "evaluate", "--model", model, "--compare-with", model, "--data", csv, "--format", "csv", "--heldout-users", "40");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.DoesNotContain("NaN", result.StandardOutput);
        Assert.Contains("all users: mean difference 0.0000, no difference for any user", result.StandardOutput);
    }
}
