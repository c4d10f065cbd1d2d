namespace VaeCfCluster.Client.Tests;

/// <summary>
/// SIGTERM during <c>vaecf tune</c> stops the training run after its current step with exit code 130, keeping its
/// checkpoint; the same command then resumes that run from its last finished epoch and finishes the report.
/// </summary>
public sealed class TuneInterruptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-tune-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = 600_000)]
    public async Task Terminate_MidRun_StopsWith130_AndTheSameCommandResumesTheRun()
    {
        var csv = PlantedCsv.Write(_folder, users: 1000, items: 120);
        var output = Path.Combine(_folder, "tune");
        string[] args = ["tune", "--data", csv, "--format", "csv", "--heldout-users", "100", "--split-seeds", "98765", "--model", "dae",
            "--trials", "1", "--epochs", "300", "--compare", "none", "--baselines", "ease", "--ease-lambda", "100", "--threads", "1", "--out", output];
        var checkpoints = Path.Combine(output, "checkpoints");

        var running = RunningVaecf.Start(_folder, args);
        await running.WaitForAsync(() => Directory.Exists(checkpoints) && Directory.EnumerateFiles(checkpoints).Any(), "a run's checkpoint");
        // A second command on the folder meanwhile would train the same run over the same checkpoint: refused.
        Assert.Contains("is in use by another vaecf command", Refusal.OneLine(VaecfProcess.Run(_folder, args)));
        int exitCode = await running.TerminateAsync();
        var error = running.Errors;

        Assert.True(exitCode == 130, error);
        Assert.Contains("a run training stops after its current step and resumes from its last finished epoch", error);
        Assert.DoesNotContain("   at ", error);
        var checkpoint = Assert.Single(Directory.GetFiles(checkpoints));
        int lastEpoch = error.Split('\n').Count(l => l.TrimStart().StartsWith("epoch ", StringComparison.Ordinal));

        var again = VaecfProcess.Run(_folder, args);

        Assert.True(again.ExitCode == 0, again.StandardError);
        int firstEpoch = again.StandardError.Split('\n').Where(l => l.TrimStart().StartsWith("epoch ", StringComparison.Ordinal))
            .Select(l => int.Parse(l.TrimStart().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].Split('/')[0], System.Globalization.CultureInfo.InvariantCulture))
            .First();
        // It goes on after the epochs the first attempt finished (the last one may have been cut before its checkpoint).
        Assert.True(lastEpoch >= 1, "the first attempt finished no epoch: " + error);
        Assert.InRange(firstEpoch, 2, lastEpoch + 1);
        Assert.False(File.Exists(checkpoint), "a finished run's checkpoint is removed");
        Assert.True(File.Exists(Path.Combine(output, "tune.md")));
    }
}
