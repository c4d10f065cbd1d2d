namespace VaeCfCluster.Client.Tests;

/// <summary>
/// Integrity at the command line, through the real <c>vaecf</c> process: a corrupted checkpoint, a checkpoint of
/// other data and a model or checkpoint of another item index are each refused with one line naming the file (or job)
/// and what differs, a non-zero exit code and no stack trace.
/// </summary>
public sealed class CheckpointIntegrityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-integrity-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Train_ResumeFromCorruptedCheckpoint_RefusedInOneLine(bool singleProcess)
    {
        var csv = PlantedCsv.Write(Folder("data"), users: 200);
        var output = Path.Combine(_folder, "run");
        AssertSucceeded(Train(csv, output, singleProcess, epochs: 1));
        var checkpoint = Directory.GetFiles(output, "checkpoint.vaecf", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(checkpoint);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(checkpoint, bytes);

        // The same command resumes (a cluster job with other settings would start over instead).
        var resumed = Train(csv, output, singleProcess, epochs: 1);
        var line = AssertOneLineRefusal(resumed);
        Assert.Contains(checkpoint, line);
        Assert.Contains("checksum mismatch", line);
        Assert.Contains("--fresh starts the run over", line);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Train_ResumeWithOtherData_RefusedInOneLineNamingTheDataHashes(bool singleProcess)
    {
        var first = PlantedCsv.Write(Folder("a"), users: 200);
        var other = Path.Combine(Folder("b"), "clicks.csv");
        // One user fewer: the data hash differs (and with it the item order and the β schedule's length).
        var lines = File.ReadAllLines(first);
        File.WriteAllLines(other, lines.Where(l => !l.StartsWith("user199,", StringComparison.Ordinal)));
        var output = Path.Combine(_folder, "run");
        AssertSucceeded(Train(first, output, singleProcess, epochs: 1));

        var resumed = Train(other, output, singleProcess, epochs: 2);
        var line = AssertOneLineRefusal(resumed);
        Assert.Contains("other data", line);
        Assert.Contains("SHA-256", line);
        if (singleProcess) Assert.Contains(Path.Combine(output, "checkpoint.vaecf"), line);
        else Assert.Contains("Job 'clicks-vae'", line);

        var fresh = VaecfProcess.Run(_folder, [.. TrainArguments(other, output, singleProcess, epochs: 1), "--fresh"]);
        AssertSucceeded(fresh);
    }

    [Fact]
    public void Evaluate_ModelOrCheckpointForAnotherItemIndex_RefusedInOneLine()
    {
        var csv = PlantedCsv.Write(Folder("a"), users: 200);
        var output = Path.Combine(_folder, "run");
        AssertSucceeded(Train(csv, output, singleProcess: true, epochs: 1));
        var otherItems = PlantedCsv.Write(Folder("b"), users: 200, items: 45);
        var model = Path.Combine(output, "model.vaecf");

        var line = AssertOneLineRefusal(VaecfProcess.Run(_folder, "evaluate", "--model", model, "--data", otherItems, "--format", "csv",
            "--heldout-users", "20"));
        Assert.Contains(model, line);
        Assert.Contains("item index differs", line);
        Assert.Contains("60 items in the model, 45 in the split", line);

        var checkpoint = Path.Combine(output, "checkpoint.vaecf");
        line = AssertOneLineRefusal(VaecfProcess.Run(_folder, "evaluate", "--model", checkpoint, "--data", csv, "--format", "csv",
            "--heldout-users", "20"));
        Assert.Contains(checkpoint, line);
        Assert.Contains("not a model file", line);

        // Both refused by their headers or names before the data is read.
        foreach (var (args, expected) in new[]
                 {
                     (new[] { "--model", checkpoint }, "not a model file"),
                     (["--model", model, "--compare-with", "nothing-here"], "--compare-with: nothing-here: file not found"),
                     (["--model", model, "--compare-with", checkpoint], "--compare-with: " + checkpoint),
                 })
        {
            var result = VaecfProcess.Run(_folder, ["evaluate", .. args, "--data", csv, "--format", "csv", "--heldout-users", "20"]);
            Assert.Contains(expected, AssertOneLineRefusal(result));
            Assert.DoesNotContain("data:", result.StandardError);
        }
    }

    private VaecfProcess.Result Train(string csv, string output, bool singleProcess, int epochs) =>
        VaecfProcess.Run(_folder, TrainArguments(csv, output, singleProcess, epochs));

    private static string[] TrainArguments(string csv, string output, bool singleProcess, int epochs) =>
    [
        "train", "--data", csv, "--format", "csv", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--batch-size", "64", "--heldout-users", "20", "--hidden", "16", "--latent", "4", "--out", output,
        .. singleProcess ? new[] { "--single-process" } : [],
    ];

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;

    private static void AssertSucceeded(VaecfProcess.Result result) => Assert.True(result.ExitCode == 0, result.StandardError);

    /// <summary>
    /// A non-zero exit code (2 for input refused by the command, 1 for a cluster job that failed on it), no stack
    /// trace, and exactly one "error:" line; returns it.
    /// </summary>
    private static string AssertOneLineRefusal(VaecfProcess.Result result)
    {
        Assert.True(result.ExitCode is 1 or 2, $"exit code {result.ExitCode}: {result.StandardError}");
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.DoesNotContain("Exception", result.StandardError);
        var errors = result.StandardError.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, result.StandardError);
        return errors[0];
    }
}
