using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Experiments;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Experiments;

public sealed class RunOutcomeWallSecondsTests
{
    private static RunOutcome Run(double seconds, params (double Train, double Validate)[] epochs) => new()
    {
        Id = "vae", Model = "Mult-VAE^PR", Setting = "annealed", Study = StudyKind.Figure1, Seconds = seconds,
        History = epochs.Length == 0 ? null
            : epochs.Select((e, i) => new EpochRecord(i + 1, i + 1, 1, 1, 0, 0.1, 0.2, e.Train, e.Validate, 10)).ToArray(),
    };

    [Fact]
    public void ResumedRun_CountsEveryEpochOfItsHistory()
    {
        // The process that finished the run saw only the last epoch (4 s); the history holds all three.
        Assert.Equal(10.0 + 1 + 12 + 2 + 3 + 0.5, Run(4, (10, 1), (12, 2), (3, 0.5)).WallSeconds, 12);
    }

    [Fact]
    public void UninterruptedRun_KeepsItsMeasuredTime()
    {
        // Measured time covers the epochs plus start-up and the test evaluation.
        Assert.Equal(30, Run(30, (10, 1), (12, 2)).WallSeconds);
        Assert.Equal(7.5, Run(7.5).WallSeconds);
    }

    [Fact]
    public void WallSeconds_IsNotStoredInTheLedger()
    {
        var folder = Directory.CreateTempSubdirectory("vaecf-wall-").FullName;
        try
        {
            // The ledger keeps only whole runs: test metrics with per-user values and the best epoch of the history.
            new RunLedger(folder).Save(Run(4, (10, 1)) with
            {
                Test = RankingMetric.PaperMetrics.Select(m => new MetricOutcome(m.Name, 0.3, 0.01)).ToArray(),
                TestPerUser = RankingMetric.PaperMetrics.ToDictionary(m => m.Name, _ => new[] { 0.3 }),
                TestUserIndices = [0], TestFoldInCounts = [4], BestEpoch = 1,
            });
            Assert.DoesNotContain("WallSeconds", File.ReadAllText(Path.Combine(folder, "vae.json")));
            Assert.Equal(11, new RunLedger(folder).Find("vae")!.WallSeconds);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
