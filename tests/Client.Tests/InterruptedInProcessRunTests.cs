using System.Diagnostics;
using System.Text;

namespace VaeCfCluster.Client.Tests;

/// <summary>
/// A <c>vaecf train</c> on the in-process cluster killed mid-run (kill -9, a lost machine): its folder is locked only
/// while a command runs, <c>vaecf status --out</c> says the job was interrupted, the same command resumes it, and other
/// settings start it over (before, the stale job came back to life with its old settings and refused every other
/// command, <c>--fresh</c> included, as "running").
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

        var first = Running.Start(_folder, [.. train, "--epochs", "5000"]);
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
        var again = Running.Start(_folder, [.. train, "--epochs", "5000"]);
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

    /// <summary>A <c>vaecf</c> process left running, its standard error collected as it comes.</summary>
    private sealed class Running
    {
        private readonly Process _process;
        private readonly StringBuilder _errors = new();

        private Running(Process process) => _process = process;

        public string Errors
        {
            get { lock (_errors) return _errors.ToString(); }
        }

        public static Running Start(string folder, string[] args)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            start.ArgumentList.Add(VaecfProcess.ProgramPath);
            foreach (var a in args) start.ArgumentList.Add(a);
            start.Environment["VAECF_DEBUG"] = "0";
            var running = new Running(Process.Start(start)!);
            running._process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (running._errors) running._errors.AppendLine(e.Data);
            };
            running._process.OutputDataReceived += (_, _) => { };
            running._process.BeginErrorReadLine();
            running._process.BeginOutputReadLine();
            return running;
        }

        public async Task WaitForAsync(Func<bool> condition, string what)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (_process.HasExited) throw new InvalidOperationException($"vaecf exited ({_process.ExitCode}) before {what}: {Errors}");
                if (clock.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"no {what} after 3 minutes: {Errors}");
                await Task.Delay(100);
            }
        }

        /// <summary>Kills the process at once (SIGKILL): nothing of it runs its shutdown.</summary>
        public void Kill()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
