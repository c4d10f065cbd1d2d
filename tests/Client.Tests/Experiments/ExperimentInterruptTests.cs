using System.Diagnostics;

namespace VaeCfCluster.Client.Tests.Experiments;

/// <summary>
/// Ctrl+C or SIGTERM during <c>vaecf experiment</c> stops it with exit code 130 and a line saying where the finished runs are;
/// the same command then continues without redoing them and finishes the report. After a hard kill, the same command
/// resumes the interrupted job from its checkpoint.
/// </summary>
public sealed class ExperimentInterruptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-experiment-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Interrupt_AfterTheFirstRun_StopsCleanlyAndTheSameCommandContinues()
    {
        var (args, output, ledger) = Arguments();

        var (process, stdout, stderr) = await StartUntilTheFirstRunFinishes(args, ledger);
        using var started = process;
        if (process.HasExited) Assert.Fail("the experiment ended before it could be interrupted: " + await stderr);
        var killInfo = new ProcessStartInfo("kill") { RedirectStandardError = true };
        killInfo.ArgumentList.Add("-TERM");
        killInfo.ArgumentList.Add(process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using (var kill = Process.Start(killInfo)!)
        {
            await kill.WaitForExitAsync();
            Assert.True(kill.ExitCode == 0, await kill.StandardError.ReadToEndAsync());
        }
        using (var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2))) await process.WaitForExitAsync(stop.Token);
        await stdout;
        var error = await stderr;

        Assert.True(process.ExitCode == 130, error);
        Assert.Contains("finished runs are kept in", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(File.Exists(Path.Combine(output, "report.md")));
        var finished = Directory.EnumerateFiles(ledger, "vae-*.json").Select(Path.GetFileNameWithoutExtension).ToArray();
        Assert.NotEmpty(finished);

        var again = VaecfProcess.Run(_folder, args);
        Assert.True(again.ExitCode == 0, again.StandardError);
        foreach (var run in finished)
            Assert.Contains(again.StandardError.Split('\n'), l => l.Contains(": finished earlier") && l.Contains(RunLabel(run!)));
        Assert.True(File.Exists(Path.Combine(output, "report.md")));
        Assert.Equal(4 * 40, File.ReadAllLines(Path.Combine(output, "figure1.csv")).Length - 1);
    }

    [Fact]
    public async Task Kill_DuringTheSecondRun_TheSameCommandResumesItsJobAndFinishes()
    {
        var (args, output, ledger) = Arguments();
        var (process, stdout, stderr) = await StartUntilTheFirstRunFinishes(args, ledger);
        using var started = process;
        // Killed once a run that is not finished has a checkpoint (an epoch or more of the second run).
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3) && !UnfinishedRunHasACheckpoint(output, ledger))
            await Task.Delay(50);
        if (process.HasExited) Assert.Fail("the experiment ended before it could be killed: " + await stderr);
        // A second command on the folder meanwhile is refused (its runs would be trained twice, its --fresh delete them).
        Assert.Contains("is in use by another vaecf command", Refusal.OneLine(VaecfProcess.Run(_folder, [.. args, "--fresh"])));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        await Task.WhenAll(stderr, stdout);

        var again = VaecfProcess.Run(_folder, args);
        Assert.True(again.ExitCode == 0, again.StandardError);
        Assert.Contains("; resumed after epoch", again.StandardError);
        Assert.Equal(4 * 40, File.ReadAllLines(Path.Combine(output, "figure1.csv")).Length - 1);
    }

    /// <summary>Whether a job of the in-process cluster whose run is not in the ledger yet has written a checkpoint.</summary>
    private static bool UnfinishedRunHasACheckpoint(string output, string ledger)
    {
        var storage = Path.Combine(output, "cluster");
        if (!Directory.Exists(storage)) return false;
        var finished = Directory.EnumerateFiles(ledger, "*.json").Select(Path.GetFileNameWithoutExtension).ToArray();
        return Directory.EnumerateDirectories(storage)
            .Any(job => File.Exists(Path.Combine(job, "checkpoint.vaecf")) && !finished.Any(run => Path.GetFileName(job).EndsWith(run!, StringComparison.Ordinal)));
    }

    /// <summary>Starts the experiment and returns once its ledger holds a finished VAE run (or it has exited).</summary>
    private async Task<(Process Process, Task<string> Stdout, Task<string> Stderr)> StartUntilTheFirstRunFinishes(string[] args, string ledger)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(VaecfProcess.ProgramPath);
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!(Directory.Exists(ledger) && Directory.EnumerateFiles(ledger, "vae-*.json").Any()) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3))
            await Task.Delay(100);
        return (process, stdout, stderr);
    }

    private (string[] Args, string Output, string Ledger) Arguments()
    {
        var csv = PlantedCsv.Write(_folder);
        var output = Path.Combine(_folder, "report");
        return (["experiment", "--data", csv, "--format", "csv", "--heldout-users", "40", "--studies", "figure1", "--epochs", "40",
            "--batch-size", "64", "--threads", "1", "--out", output], output, Path.Combine(output, "runs"));
    }

    private static string RunLabel(string runId) => runId switch
    {
        "vae-multinomial-no-anneal" => "β = 1, no annealing",
        "vae-multinomial-anneal-to-1" => "annealed to β = 1",
        "vae-multinomial-anneal-capped" => "β capped at",
        _ => "automatic β",
    };
}
