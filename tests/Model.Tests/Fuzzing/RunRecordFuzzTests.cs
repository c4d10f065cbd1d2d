using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Experiments;
using VaeCfCluster.Model.Training;
using Xunit.Abstractions;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of a finished experiment run's JSON (<see cref="RunLedger.Find"/>): every input is read as a
/// run that the studies and the report can use as they do (its test metrics, per-user values by test user, the β at
/// its best epoch), or refused with a one-line <see cref="DataFormatException"/> naming the file, never a crash.
/// </summary>
public sealed class RunRecordFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly FuzzFolder _folder = new();

    [Fact]
    public void RunFile_Mutated_ReadsAsAUsableRunOrIsRefusedWithDataFormatException()
    {
        var folder = _folder.File("runs");
        var ledger = new RunLedger(folder);
        const string id = "vae-multinomial-anneal-to-1";
        ledger.Save(new RunOutcome
        {
            Id = id, Model = "Mult-VAE^PR", Setting = "annealed to β = 1", Study = StudyKind.Figure1, ValidationNdcg100 = 0.3,
            Test = [new MetricOutcome("Recall@20", 0.2, 0.01), new MetricOutcome("Recall@50", 0.4, 0.02), new MetricOutcome("NDCG@100", 0.3, double.NaN)],
            TestPerUser = new Dictionary<string, double[]> { ["Recall@20"] = [0.1, 0.3], ["Recall@50"] = [0.3, 0.5], ["NDCG@100"] = [0.1, 0.5] },
            TestUserIndices = [3, 7], TestFoldInCounts = [5, 9],
            History = [new EpochRecord(1, 10, 2.5, 2.4, 0.1, 0.2, 0.3, 1.5, 0.2, 100), new EpochRecord(2, 20, 2.4, 2.3, 0.1, 0.4, 0.35, 1.5, 0.2, 100)],
            BestEpoch = 2, ChosenBeta = 0.4, Seconds = 12.5,
        });
        var path = Path.Combine(folder, id + ".json");
        var seed = File.ReadAllBytes(path);
        FuzzHarness.Run(new FuzzTarget
        {
            Format = "experiment run JSON",
            Next = r => Mutator.Mutate(r, seed),
            Parse = bytes =>
            {
                File.WriteAllBytes(path, bytes);
                var run = ledger.Find(id) ?? throw new FuzzOracleException("the run file was not found");
                // What the studies and the report read of a run.
                int users = run.TestUserIndices.Length;
                foreach (var metric in run.Test)
                {
                    _ = run.Metric(metric.Name).Mean;
                    if (run.TestPerUser[metric.Name].Length != users) throw new FuzzOracleException($"{metric.Name}: per-user values not one per test user");
                }
                if (run.TestFoldInCounts.Length != users) throw new FuzzOracleException("fold-in counts not one per test user");
                _ = run.WallSeconds + run.Setting.Length + run.Model.Length + run.Study.ToString().Length;
                if (run.Study != StudyKind.Table3) _ = run.Metric("NDCG@100");
                if (run.History is not null) _ = AutoencoderTuning.BestBeta(run) + run.History[^1].ValidationNdcg100;
            },
            IsClearRefusal = e => e is DataFormatException d && d.FilePath == path && !d.Message.Contains('\n') && !d.Message.Any(char.IsControl),
        }, output.WriteLine);
    }

    public void Dispose() => _folder.Dispose();
}
