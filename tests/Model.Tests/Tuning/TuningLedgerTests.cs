using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Tuning;
using Xunit;

namespace VaeCfCluster.Model.Tests.Tuning;

public sealed class TuningLedgerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-ledger-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Add_ThenFind_RoundTripsTheOutcome_AndACorruptFileIsNamed()
    {
        var ledger = new TuningLedger(_folder);
        var run = new TuningRun("ease", new Dictionary<string, double> { ["lambda"] = 500 }, 7, "data");
        Assert.Null(ledger.Find(run, testUsers: 2));
        var outcome = new TuningOutcome(run.Id, "ease", new() { ["lambda"] = 500 }, 7, 0.41, 0,
            new() { ["Recall@20"] = new MetricValue(0.3, 0.01), ["Recall@50"] = new MetricValue(0.45, 0.01), ["NDCG@100"] = new MetricValue(0.4, 0.01) },
            [0.1, 0.7], 3.5);
        ledger.Add(outcome);
        var found = ledger.Find(run, testUsers: 2)!;
        Assert.Equal(outcome.ValidationNdcg100, found.ValidationNdcg100);
        Assert.Equal(outcome.TestNdcg100PerUser, found.TestNdcg100PerUser);
        Assert.Equal(0.4, found.Test["NDCG@100"].Mean);

        var path = Path.Combine(_folder, run.Id + ".json");
        File.WriteAllText(path, "{\n  \"Id\": [1],\n  \"Model\": \"ease\"\n}");
        var error = Assert.Throws<DataFormatException>(() => ledger.Find(run, testUsers: 2));
        Assert.Equal($"{path}:2: field 'Id': holds a list, not a string; delete the file to redo the run.", error.Message);
        Assert.Equal(2, error.LineNumber); // "Id" holds an array on line 2
        Assert.Equal("Id", error.Field);
    }
}
