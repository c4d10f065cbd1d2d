using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Experiments;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Experiments;

public sealed class ExperimentRunnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-runner-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Counts the trainings it passes on to the single-process runner.</summary>
    private sealed class CountingRunner(string folder) : IAutoencoderRunner
    {
        private readonly SingleProcessAutoencoderRunner _inner = new(folder);

        public List<string> Trained { get; } = [];

        public List<string> Discarded { get; } = [];

        public string Description => "counting";

        public Task<AutoencoderRun> TrainAsync(string runId, DataSplit split, AutoencoderConfig config, TrainerOptions options, CancellationToken cancellationToken)
        {
            Trained.Add(runId);
            return _inner.TrainAsync(runId, split, config, options, cancellationToken);
        }

        public Task DiscardAsync(string runId)
        {
            Discarded.Add(runId);
            return _inner.DiscardAsync(runId);
        }
    }

    private static readonly ExperimentSettings Settings = new()
    {
        Epochs = 2, BatchSize = 40, DaeWeightDecays = [0.01, 0.0001], Baselines = ["popularity"],
    };

    private ExperimentResults Run(CountingRunner runner)
    {
        var split = PlantedSplit.Create(trainUsers: 120, heldOutUsers: 30, items: 50, groups: 5, seed: 7);
        var inputs = new ExperimentInputs("planted", split, null, null, 7);
        return new ExperimentRunner(Settings, inputs, new RunLedger(Path.Combine(_folder, "runs")), runner, TextWriter.Null)
            .RunAsync().GetAwaiter().GetResult();
    }

    [Fact]
    public void RunAsync_AllStudies_ShareRunsAndFollowTheBetaProcedure()
    {
        var runner = new CountingRunner(Path.Combine(_folder, "runs"));
        var results = Run(runner);

        // no-anneal + automatic + 3 likelihoods × (anneal to 1 + capped unless the best β is 1) + 3 likelihoods × 2 weight
        // decays, each trained once.
        int capped1 = results.Table4.Take(3).Count(r => r.Candidates.Count == 2);
        Assert.All(results.Table4.Take(3), r => Assert.Equal(r.Candidates.Count == 1, r.Run.ChosenBeta == 1.0));
        Assert.Equal(2 + 3 + capped1 + 6, runner.Trained.Count);
        Assert.Equal(runner.Trained.Count, runner.Trained.Distinct().Count());
        Assert.Equal(runner.Trained, runner.Discarded);
        Assert.Equal(["Mult-VAE^PR", "Mult-DAE", "Popularity"], results.Table2.Select(r => r.Model));
        Assert.Equal(["Mult-VAE^PR", "Gaussian-VAE^PR", "Logistic-VAE^PR", "Mult-DAE", "Gaussian-DAE", "Logistic-DAE"], results.Table4.Select(r => r.Model));
        Assert.Equal(results.Table2[0].Run.Id, results.Table4[0].Run.Id);
        Assert.Equal(4, results.Figure1.Count);
        Assert.Equal(AutoencoderTuning.AutomaticId, results.Figure1[3].Run.Id);
        Assert.Equal(results.Table2[0].Run.Id, results.Figure1[2].Run.Id);

        var annealed = results.Figure1[1].Run;
        var capped = results.Figure1[2].Run;
        double bestBeta = annealed.History![annealed.BestEpoch!.Value - 1].Beta;
        Assert.Equal(bestBeta, capped.ChosenBeta!.Value, 12);
        Assert.All(capped.History!, h => Assert.True(h.Beta <= bestBeta + 1e-12));
        Assert.All(results.Figure1[0].Run.History!, h => Assert.Equal(1.0, h.Beta));

        var dae = results.Table2[1];
        Assert.Equal(dae.Candidates.Max(c => c.ValidationNdcg100), dae.Run.ValidationNdcg100);
        Assert.Equal(5, results.Figure3!.Comparison.Groups.Count);
        Assert.Equal(results.Table2[0].Run.TestUserIndices.Length, results.Figure3.Comparison.Groups.Sum(g => g.UserCount));
        Assert.Null(results.Table3);
        Assert.Contains(results.Notes, n => n.Contains("Table 3 was skipped"));
        Assert.Equal(results.Table2.Concat(results.Table4).SelectMany(r => r.Candidates).Concat(results.Figure1.Select(c => c.Run)).DistinctBy(r => r.Id).Sum(r => r.Seconds),
            results.StudySeconds.Values.Sum(), 9);
    }

    [Fact]
    public void RunAsync_Again_RedoesNothingAndReportsTheSameNumbers()
    {
        var first = Run(new CountingRunner(Path.Combine(_folder, "runs")));
        var again = new CountingRunner(Path.Combine(_folder, "runs"));
        var second = Run(again);

        Assert.Empty(again.Trained);
        Assert.Equal(first.Table2.Select(r => r.Run.Metric("NDCG@100").Mean), second.Table2.Select(r => r.Run.Metric("NDCG@100").Mean));
        Assert.Equal(first.Figure3!.Comparison.Overall, second.Figure3!.Comparison.Overall);
    }
}
