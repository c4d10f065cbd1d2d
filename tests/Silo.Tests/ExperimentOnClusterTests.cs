using VaeCfCluster.Client.Tests;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// <c>vaecf experiment --cluster</c>: the studies' autoencoders train as jobs on two <c>vaecf-silo</c> processes (Redis
/// membership), give the same curves as the single-process trainer, and leave no job storage behind.
/// </summary>
public sealed class ExperimentOnClusterTests : IDisposable
{
    private const string ClusterId = "experiment-on-cluster";
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-experiment-cluster-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RequiresRedisServerFact(Timeout = 300_000)]
    public async Task Experiment_OnTwoSiloProcesses_MatchesTheSingleProcessCurvesAndDeletesItsJobs()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(290));
        var jobs = Path.Combine(_folder, "jobs");
        await using var cluster = await RedisSiloCluster.StartAsync(ClusterId, silos: 2, cts.Token, jobsFolder: jobs);

        var csv = PlantedCsv.Write(_folder);
        string[] common = ["experiment", "--data", csv, "--format", "csv", "--studies", "figure1", "--epochs", "3", "--batch-size", "64",
            "--heldout-users", "40", "--threads", "1"];
        var remoteOut = Path.Combine(_folder, "remote");
        var remote = VaecfProcess.Run(_folder, [.. common, "--cluster", cluster.Address, "--cluster-id", ClusterId, "--out", remoteOut]);
        Assert.True(remote.ExitCode == 0, $"{remote.StandardError}\nsilos:\n{cluster.Outputs}");
        var localOut = Path.Combine(_folder, "local");
        var local = VaecfProcess.Run(_folder, [.. common, "--single-process", "--out", localOut]);
        Assert.True(local.ExitCode == 0, local.StandardError);

        // Two workers sum the same gradients in another order than one process: equal up to float rounding.
        var remoteCurves = Curves(remoteOut);
        var localCurves = Curves(localOut);
        Assert.Equal(12, localCurves.Length);
        Assert.Equal(localCurves.Select(c => c.Run), remoteCurves.Select(c => c.Run));
        foreach (var (l, r) in localCurves.Zip(remoteCurves))
        {
            Assert.Equal(l.Beta, r.Beta, 12);
            Assert.Equal(l.Ndcg, r.Ndcg, 5);
        }
        Assert.Empty(Directory.Exists(jobs) ? Directory.EnumerateFiles(jobs, "*", SearchOption.AllDirectories) : []);
        Assert.Contains("figure1-annealing.png", File.ReadAllText(Path.Combine(remoteOut, "report.md")));
    }

    private static (string Run, double Beta, double Ndcg)[] Curves(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "figure1.csv")).Skip(1)
            .Select(line => line.Split(','))
            .Select(f => (f[1], double.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
}
