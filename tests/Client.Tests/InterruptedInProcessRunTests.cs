namespace VaeCfCluster.Client.Tests;

/// <summary>
/// A <c>vaecf train</c> on the in-process cluster killed mid-run (kill -9, a lost machine): its folder is locked only
/// while a command runs, <c>vaecf status --out</c> says the job was interrupted, the same command resumes it, and other
/// settings start it over (before, the stale job came back to life with its old settings and refused every other
/// command, <c>--fresh</c> included, as "running"). A single-process run's folder is locked too: a second command on
/// it is refused before its <c>--fresh</c> deletes anything.
/// </summary>
public sealed class InterruptedInProcessRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-interrupted-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = 600_000)]
    public async Task KilledRun_IsInterrupted_SameCommandResumes_OtherSettingsStartOver()
    {
        var csv = PlantedCsv.Write(Directory.CreateDirectory(Path.Combine(_folder, "data")).FullName, users: 400);
        var output = Path.Combine(_folder, "run");
        string[] train = ["train", "--data", csv, "--format", "csv", "--batch-size", "64", "--heldout-users", "20", "--hidden", "16", "--latent", "4", "--threads", "1", "--out", output];
        var checkpoint = Path.Combine(output, "cluster", "clicks-vae", "checkpoint.vaecf");

        var first = RunningVaecf.Start(_folder, [.. train, "--epochs", "5000"]);
        try
        {
            await first.WaitForAsync(() => File.Exists(checkpoint), "the first epoch's checkpoint");
            // A second command on the same folder while the first runs is refused: it would run the same job beside it.
            var second = VaecfProcess.Run(_folder, [.. train, "--epochs", "3"]);
            Assert.Equal(2, second.ExitCode);
            Assert.Contains("is in use by another vaecf command", second.StandardError);
        }
        finally
        {
            first.Kill();
        }

        var status = VaecfProcess.Run(_folder, "status", "--out", output);
        Assert.True(status.ExitCode == 0, status.StandardError);
        Assert.Contains("interrupted during epoch", status.StandardOutput);
        Assert.Contains("no vaecf command is running it", status.StandardOutput);

        // The same command goes on from the checkpoint.
        var again = RunningVaecf.Start(_folder, [.. train, "--epochs", "5000"]);
        try
        {
            await again.WaitForAsync(() => again.Errors.Contains("resumed after epoch"), "the resumed run's plan line");
            Assert.DoesNotContain("running with other settings", again.Errors);
        }
        finally
        {
            again.Kill();
        }

        // Other settings start it over, as for a job that was cancelled.
        var other = VaecfProcess.Run(_folder, [.. train, "--epochs", "2"]);
        Assert.True(other.ExitCode == 0, other.StandardError);
        Assert.DoesNotContain("resumed after epoch", other.StandardError);
        Assert.Contains("best epoch", other.StandardError + other.StandardOutput);
        Assert.True(File.Exists(Path.Combine(output, "model.vaecf")));
        var done = VaecfProcess.Run(_folder, "status", "--out", output);
        Assert.Contains("completed, epoch 2/2", done.StandardOutput);
    }

    [Theory(Timeout = 600_000)]
    [InlineData("vae", "checkpoint.vaecf")]
    [InlineData("recvae", "checkpoint.recvae")]
    public async Task SingleProcessRun_ASecondCommandOnItsFolder_IsRefusedAndItsFreshDeletesNothing(string model, string checkpointName)
    {
        var csv = PlantedCsv.Write(Directory.CreateDirectory(Path.Combine(_folder, "data")).FullName, users: 400);
        var output = Path.Combine(_folder, "single");
        string[] train = ["train", "--single-process", "--model", model, "--data", csv, "--format", "csv", "--batch-size", "64", "--heldout-users", "20",
            "--threads", "1", "--out", output];
        var checkpoint = Path.Combine(output, checkpointName);

        var first = RunningVaecf.Start(_folder, [.. train, "--epochs", "5000"]);
        try
        {
            await first.WaitForAsync(() => File.Exists(checkpoint), "the first epoch's checkpoint");
            var second = VaecfProcess.Run(_folder, [.. train, "--epochs", "3", "--fresh"]);
            Assert.Contains("is in use by another vaecf command", Refusal.OneLine(second));
            Assert.True(File.Exists(checkpoint), "the second command's --fresh deleted the running command's checkpoint");
        }
        finally
        {
            first.Kill();
        }

        // Once the first command is gone, the folder is free again.
        var after = VaecfProcess.Run(_folder, [.. train, "--epochs", "2", "--fresh"]);
        Assert.True(after.ExitCode == 0, after.StandardError);
    }
}
