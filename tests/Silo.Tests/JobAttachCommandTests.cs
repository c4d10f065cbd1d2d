using System.Diagnostics;
using System.Text.Json;
using VaeCfCluster.Client.Tests;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// <c>vaecf train --cluster</c> run again for a job that is still running (submitted with <c>--detach</c>, as after a
/// client crash) follows that job to the end and saves what an undisturbed run saves; the same job id with other
/// settings is refused in one line naming the setting.
/// </summary>
public sealed class JobAttachCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-attach-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = 300_000)]
    public async Task TrainAgainWhileRunning_SameCommand_AttachesAndEndsLikeAnUndisturbedRun()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(290));
        await using var silo = await SiloProcess.StartReadyAsync(new Dictionary<string, string?>(), TimeSpan.FromSeconds(60), cts.Token);
        string cluster = $"127.0.0.1:{silo.GatewayPort}";
        var csv = PlantedCsv.Write(_folder, users: 1500, items: 240, groups: 4);
        // Long enough for two more clients to start while it runs, on a busy machine too: 150 epochs (with 50, the job
        // could end there before the second client, each taking seconds to start, attached).
        string[] settings = ["--data", csv, "--format", "csv", "--batch-size", "25", "--heldout-users", "100", "--hidden", "64",
            "--latent", "16", "--threads", "1", "--cluster", cluster];
        string[] train = ["train", .. settings, "--epochs", "150"];
        var attachedOut = Path.Combine(_folder, "attached");

        var submit = VaecfProcess.Run(_folder, [.. train, "--job", "attach", "--detach", "--out", attachedOut]);
        Assert.True(submit.ExitCode == 0, $"{submit.StandardError}\n{silo.Output}");
        Assert.Contains("submitted job attach", submit.StandardOutput);

        var other = VaecfProcess.Run(_folder, ["train", .. settings, "--epochs", "149", "--job", "attach", "--out", Path.Combine(_folder, "other")]);
        Assert.True(other.ExitCode == 2, other.StandardError);
        Assert.True(other.StandardError.Contains("error: Job 'attach' is running with other settings: training --epochs 150 (requested 149); training --anneal-steps 31200 (requested 30992). ",
            StringComparison.Ordinal), other.StandardError);
        Assert.DoesNotContain("   at ", other.StandardError);

        var follow = VaecfProcess.Run(_folder, [.. train, "--job", "attach", "--out", attachedOut]);
        Assert.True(follow.ExitCode == 0, $"{follow.StandardError}\n{silo.Output}");
        Assert.Contains("job attach is already running with this data and these settings; following it", follow.StandardError);
        Assert.Contains("saved ", follow.StandardOutput);

        var straightOut = Path.Combine(_folder, "straight");
        var straight = VaecfProcess.Run(_folder, [.. train, "--job", "straight", "--out", straightOut]);
        Assert.True(straight.ExitCode == 0, $"{straight.StandardError}\n{silo.Output}");
        Assert.DoesNotContain("already running", straight.StandardError);

        using var attachedMetrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(attachedOut, "metrics.json")));
        using var straightMetrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(straightOut, "metrics.json")));
        var (a, s) = (attachedMetrics.RootElement, straightMetrics.RootElement);
        Assert.Equal(s.GetProperty("test").GetRawText(), a.GetProperty("test").GetRawText());
        Assert.Equal(s.GetProperty("bestEpoch").GetInt32(), a.GetProperty("bestEpoch").GetInt32());
        Assert.Equal(Curve(s), Curve(a));
        Assert.Equal(150, Curve(a).Length);

        var (_, expected) = TensorFile.Read(Path.Combine(straightOut, "model.vaecf"));
        var (_, actual) = TensorFile.Read(Path.Combine(attachedOut, "model.vaecf"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.Equal(tensor.data<float>().ToArray(), actual[name].data<float>().ToArray());
    }

    [Fact(Timeout = 300_000)]
    public async Task TrainAgainAfterClientKilled_SameCommand_AttachesAndSavesTheModel()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(290));
        await using var silo = await SiloProcess.StartReadyAsync(new Dictionary<string, string?>(), TimeSpan.FromSeconds(60), cts.Token);
        var csv = PlantedCsv.Write(_folder, users: 1500, items: 240, groups: 4);
        var output = Path.Combine(_folder, "out");
        string[] train = ["train", "--data", csv, "--format", "csv", "--batch-size", "25", "--heldout-users", "100", "--hidden", "64",
            "--latent", "16", "--threads", "1", "--epochs", "50", "--cluster", $"127.0.0.1:{silo.GatewayPort}", "--job", "crash", "--out", output];

        // The first client dies (SIGKILL: no chance to cancel the job) once the job has finished an epoch.
        await KillAfterFirstEpochAsync(train, cts.Token);
        Assert.False(File.Exists(Path.Combine(output, "model.vaecf")));

        var again = VaecfProcess.Run(_folder, train);
        Assert.True(again.ExitCode == 0, $"{again.StandardError}\n{silo.Output}");
        Assert.Contains("job crash is already running with this data and these settings; following it", again.StandardError);
        Assert.Contains("epoch 50/50", again.StandardError);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal(50, Curve(metrics.RootElement).Length);
        var model = ModelFile.Load(Path.Combine(output, "model.vaecf"));
        model.Network.Dispose();
        Assert.Equal(metrics.RootElement.GetProperty("bestEpoch").GetInt32(), model.Summary.BestEpoch);
    }

    private async Task KillAfterFirstEpochAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(VaecfProcess.ProgramPath);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var seen = new System.Text.StringBuilder();
        while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
        {
            seen.AppendLine(line);
            if (line.StartsWith("epoch 1/", StringComparison.Ordinal)) break;
        }
        Assert.False(process.HasExited, $"the first client ended before its job finished an epoch:\n{seen}");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(cancellationToken);
    }

    private static (double Loss, double Ndcg)[] Curve(JsonElement metrics) =>
        metrics.GetProperty("history").EnumerateArray()
            .Select(h => (h.GetProperty("Loss").GetDouble(), h.GetProperty("ValidationNdcg100").GetDouble()))
            .ToArray();
}
