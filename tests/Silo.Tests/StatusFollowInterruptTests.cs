using System.Diagnostics;
using System.Globalization;
using VaeCfCluster.Client.Tests;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// <c>vaecf status --follow</c> stops following on Ctrl+C (SIGINT) or SIGTERM at once, exit code 130, and the job it
/// followed keeps training.
/// </summary>
public sealed class StatusFollowInterruptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-follow-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory(Timeout = 240_000)]
    [InlineData("-INT")]
    [InlineData("-TERM")]
    public async Task Follow_Signal_StopsFollowingAtOnce_TheJobKeepsTraining(string signal)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(230));
        await using var silo = await SiloProcess.StartReadyAsync(new Dictionary<string, string?>(), TimeSpan.FromSeconds(60), cts.Token);
        string cluster = $"127.0.0.1:{silo.GatewayPort}";
        var csv = PlantedCsv.Write(_folder, users: 1500, items: 240, groups: 4);
        // Minutes of training on one thread: it is still running when the follower is stopped.
        var submit = VaecfProcess.Run(_folder, "train", "--data", csv, "--format", "csv", "--batch-size", "25", "--heldout-users", "100",
            "--hidden", "64", "--latent", "16", "--threads", "1", "--epochs", "300", "--cluster", cluster, "--job", "followed", "--detach");
        Assert.True(submit.ExitCode == 0, submit.StandardError);

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { VaecfProcess.ProgramPath, "status", "--cluster", cluster, "--job", "followed", "--follow" }) start.ArgumentList.Add(a);
        using var follower = Process.Start(start)!;
        try
        {
            await FollowThenStop(follower, signal, cluster, cts.Token);
        }
        finally
        {
            if (!follower.HasExited) follower.Kill(entireProcessTree: true);
        }
    }

    private async Task FollowThenStop(Process follower, string signal, string cluster, CancellationToken cancellation)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var stderr = new System.Text.StringBuilder();
        var sawProgress = new TaskCompletionSource();
        follower.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            if (e.Data.Contains("epoch", StringComparison.Ordinal)) sawProgress.TrySetResult();
        };
        follower.BeginErrorReadLine();
        var stdout = follower.StandardOutput.ReadToEndAsync(cts.Token);
        await sawProgress.Task.WaitAsync(TimeSpan.FromSeconds(90), cts.Token);
        await Task.Delay(1000, cts.Token);

        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", [signal, follower.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync(cts.Token);
        await follower.WaitForExitAsync(cts.Token).WaitAsync(TimeSpan.FromSeconds(40), cts.Token);

        string seen;
        lock (stderr) seen = stderr.ToString();
        Assert.True(follower.ExitCode == 130, $"exit {follower.ExitCode}\n{seen}\n{await stdout}");
        // "At once": well before the job ends (minutes), with room for starting `kill` and the client's shutdown on a busy machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("stopped following job followed; it keeps running", seen);
        var status = VaecfProcess.Run(_folder, "status", "--cluster", cluster, "--job", "followed");
        Assert.True(status.ExitCode == 0, status.StandardError);
        Assert.Matches(@"job followed \([^)]*\): (training|validating)", status.StandardOutput);
    }
}
