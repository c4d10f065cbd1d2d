using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Tuning;
using Xunit.Abstractions;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of a finished tuning run's JSON (<see cref="TuningLedger.Find"/>): every input is read as a run
/// or refused with a <see cref="DataFormatException"/> naming the file, never a crash.
/// </summary>
public sealed class TuningRunFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly FuzzFolder _folder = new();

    [Fact]
    public void RunFile_Mutated_ReadsOrIsRefusedWithDataFormatException()
    {
        var folder = _folder.File("runs");
        var ledger = new TuningLedger(folder);
        var run = new TuningRun("recvae", new Dictionary<string, double> { ["lr"] = 5e-4, ["gamma"] = 0.005 }, 98765, "ml-1m; 600");
        ledger.Add(new TuningOutcome(run.Id, "recvae", new() { ["lr"] = 5e-4, ["gamma"] = 0.005 }, 98765, 0.41, 12,
            new() { ["Recall@20"] = new MetricValue(0.34, 0.008), ["Recall@50"] = new MetricValue(0.45, 0.008), ["NDCG@100"] = new MetricValue(0.418, 0.0068) },
            [0.1, 0.5, 0.9], 205.5));
        var path = Path.Combine(folder, run.Id + ".json");
        var seed = File.ReadAllBytes(path);
        FuzzHarness.Run(new FuzzTarget
        {
            Format = "tuning run JSON",
            Next = r => Mutator.Mutate(r, seed),
            Parse = bytes =>
            {
                File.WriteAllBytes(path, bytes);
                var outcome = ledger.Find(run, testUsers: 3) ?? throw new FuzzOracleException("the run file was not found");
                _ = outcome.Test["NDCG@100"].Mean + outcome.TestNdcg100PerUser.Length + outcome.Settings.Count;
            },
            IsClearRefusal = e => e is DataFormatException d && d.FilePath == path && !d.Message.Contains('\n'),
        }, output.WriteLine);
    }

    public void Dispose() => _folder.Dispose();
}
