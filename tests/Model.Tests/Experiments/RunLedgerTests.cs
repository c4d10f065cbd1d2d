using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Experiments;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Experiments;

public sealed class RunLedgerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-ledger-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static RunOutcome Outcome(string id) => new()
    {
        Id = id, Model = "WMF", Setting = "c1 = 2, K = 100", Study = StudyKind.Table2, ValidationNdcg100 = 0.25,
        Test = [new MetricOutcome("Recall@20", 0.2, 0.01), new MetricOutcome("Recall@50", 0.4, 0.02), new MetricOutcome("NDCG@100", 0.3, double.NaN)],
        TestPerUser = new Dictionary<string, double[]> { ["Recall@20"] = [0.1, 0.3], ["Recall@50"] = [0.3, 0.5], ["NDCG@100"] = [0.1, 0.5] },
        TestUserIndices = [3, 7], TestFoldInCounts = [5, 9],
        History = [new EpochRecord(1, 10, 2.5, 2.4, 0.1, 0.2, 0.3, 1.5, 0.2, 100)], BestEpoch = 1, ChosenBeta = 0.2, Seconds = 12.5,
    };

    [Fact]
    public void Save_ThenFind_ReturnsTheSameRunIncludingNaNAndHistory()
    {
        var ledger = new RunLedger(_folder);
        ledger.Save(Outcome("wmf-c1-2-k-100"));
        var found = new RunLedger(_folder).Find("wmf-c1-2-k-100")!;
        Assert.Equal("c1 = 2, K = 100", found.Setting);
        Assert.Equal(StudyKind.Table2, found.Study);
        Assert.True(double.IsNaN(found.Metric("NDCG@100").StandardError));
        Assert.Equal([0.1, 0.5], found.TestPerUser["NDCG@100"]);
        Assert.Equal([3, 7], found.TestUserIndices);
        Assert.Equal(0.3, found.History![0].ValidationNdcg100);
        Assert.Null(ledger.Find("missing"));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void Claim_OtherIdentity_IsRefusedAndFreshDeletesTheRuns()
    {
        var ledger = new RunLedger(_folder);
        ledger.Claim("settings A", fresh: false);
        ledger.Save(Outcome("a"));
        Directory.CreateDirectory(Path.Combine(_folder, "a"));
        ledger.Claim("settings A", fresh: false);
        Assert.NotNull(ledger.Find("a"));

        var refused = Assert.Throws<ArgumentException>(() => ledger.Claim("settings B", fresh: false));
        Assert.Contains("other settings", refused.Message);
        Assert.NotNull(ledger.Find("a"));

        ledger.Claim("settings B", fresh: true);
        Assert.Null(ledger.Find("a"));
        Assert.False(Directory.Exists(Path.Combine(_folder, "a")));
        ledger.Claim("settings B", fresh: false);
    }

    [Fact]
    public void Find_CorruptFile_NamesTheFile()
    {
        File.WriteAllText(Path.Combine(_folder, "broken.json"), "{ not json");
        var e = Assert.Throws<DataFormatException>(() => new RunLedger(_folder).Find("broken"));
        Assert.Contains("broken.json", e.Message);
    }
}
