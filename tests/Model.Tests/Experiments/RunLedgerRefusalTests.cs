using System.Text.Json;
using System.Text.Json.Nodes;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Experiments;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Experiments;

/// <summary>
/// A run file that is not the whole record of its run (copied from another run, edited, cut) is refused by
/// <see cref="RunLedger.Find"/> in one line naming the file and the field, never used in the run's place and never
/// reported with the parser's text or an exception's name.
/// </summary>
public sealed class RunLedgerRefusalTests : IDisposable
{
    private const string Remedy = "; delete the file to redo the run.";
    private const string Studies = "Figure1, Table4, Table2, Figure3, Table3";
    private static readonly string DaeId = AutoencoderTuning.DaeId(Likelihood.Multinomial, 0.01, "");
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-ledger-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static RunOutcome Popularity => new()
    {
        Id = "popularity", Model = "Popularity", Setting = "-", Study = StudyKind.Table2, ValidationNdcg100 = 0.1,
        Test = [new MetricOutcome("Recall@20", 0.11, 0.01), new MetricOutcome("Recall@50", 0.22, 0.02), new MetricOutcome("NDCG@100", 0.13, 0.01)],
        TestPerUser = new Dictionary<string, double[]>
        {
            ["Recall@20"] = [0.1, 0.2, 0.03], ["Recall@50"] = [0.2, 0.3, 0.16], ["NDCG@100"] = [0.1, 0.15, 0.14],
        },
        TestUserIndices = [3, 7, 9], TestFoldInCounts = [5, 9, 2], Seconds = 1.5,
    };

    private static RunOutcome Dae => Popularity with
    {
        Id = DaeId, Model = "Mult-DAE", Setting = "λ = 0.01",
        History = [new EpochRecord(1, 4, 2.5, 2.5, 0, 0, 0.2, 1, 0.1, 50), new EpochRecord(2, 8, 2.1, 2.1, 0, 0, 0.3, 1, 0.1, 50)],
        BestEpoch = 2,
    };

    private string PathOf(string id) => Path.Combine(_folder, id + ".json");

    [Fact]
    public void Find_RunFileCopiedFromAnotherRun_IsRefusedNamingItsId()
    {
        var ledger = new RunLedger(_folder);
        ledger.Save(Popularity);
        File.Copy(PathOf("popularity"), PathOf(DaeId));

        var e = Assert.Throws<DataFormatException>(() => ledger.Find(DaeId));

        Assert.Equal($"{PathOf(DaeId)}: field 'Id': holds run \"popularity\", not \"{DaeId}\" (the file was copied or renamed from another run){Remedy}",
            e.Message);
        Assert.Equal("Popularity", ledger.Find("popularity")!.Model);
    }

    /// <summary>Edits of a saved Mult-DAE run whose values still read, and the field and problem each is refused with.</summary>
    private static readonly Dictionary<string, (Action<JsonObject> Edit, string Field, string Problem)> Edits = new()
    {
        ["Test null"] = (o => o["Test"] = null, "Test", "missing"),
        ["Test empty"] = (o => o["Test"] = new JsonArray(), "Test", "no test metrics"),
        ["Test entry null"] = (o => o["Test"]![1] = null, "Test[1]", "missing"),
        ["Test name null"] = (o => o["Test"]![0]!["Name"] = null, "Test[0].Name", "missing"),
        ["Test name twice"] = (o => o["Test"]![2]!["Name"] = "Recall@20", "Test[2].Name", "\"Recall@20\" is listed twice"),
        ["NDCG@100 removed"] = (o =>
        {
            o["Test"]!.AsArray().RemoveAt(2);
            o["TestPerUser"]!.AsObject().Remove("NDCG@100");
        }, "Test", "has no NDCG@100 (a Table2 run's test metrics are Recall@20, Recall@50, NDCG@100)"),
        ["Model null"] = (o => o["Model"] = null, "Model", "missing"),
        ["Model absent"] = (o => o.Remove("Model"), "Model", "missing"),
        ["Setting null"] = (o => o["Setting"] = null, "Setting", "missing"),
        ["Study a number of no study"] = (o => o["Study"] = 7, "Study", $"holds 7, not one of {Studies}"),
        ["TestPerUser null"] = (o => o["TestPerUser"] = null, "TestPerUser", "missing"),
        ["per-user NDCG@100 cut"] = (o => o["TestPerUser"]!["NDCG@100"]!.AsArray().RemoveAt(2),
            "TestPerUser.NDCG@100", "2 value(s) for the 3 test user(s) of TestUserIndices"),
        ["per-user Recall@50 null"] = (o => o["TestPerUser"]!["Recall@50"] = null, "TestPerUser.Recall@50", "missing"),
        ["per-user Recall@20 absent"] = (o => o["TestPerUser"]!.AsObject().Remove("Recall@20"),
            "TestPerUser.Recall@20", "missing (every test metric has per-user values)"),
        ["TestUserIndices null"] = (o => o["TestUserIndices"] = null, "TestUserIndices", "missing"),
        ["fold-in counts cut"] = (o => o["TestFoldInCounts"]!.AsArray().RemoveAt(0),
            "TestFoldInCounts", "2 value(s) for the 3 test user(s) of TestUserIndices"),
        ["History [null]"] = (o => o["History"] = new JsonArray((JsonNode?)null), "History[0]", "missing"),
        ["History entry null"] = (o => o["History"]![1] = null, "History[1]", "missing"),
        ["History empty"] = (o => o["History"] = new JsonArray(), "History", "no epochs"),
        ["History null, best epoch kept"] = (o => o["History"] = null, "History", "missing (the run has a best epoch)"),
        ["BestEpoch null"] = (o => o["BestEpoch"] = null, "BestEpoch", "missing (the run has an epoch history)"),
        ["BestEpoch past the history"] = (o => o["BestEpoch"] = 3, "BestEpoch", "holds 3, not an epoch of the history (1 to 2)"),
        ["BestEpoch 0"] = (o => o["BestEpoch"] = 0, "BestEpoch", "holds 0, not an epoch of the history (1 to 2)"),
    };

    public static TheoryData<string> EditNames => new(Edits.Keys);

    [Theory]
    [MemberData(nameof(EditNames))]
    public void Find_EditedRun_IsRefusedNamingTheField(string edit)
    {
        var (change, field, problem) = Edits[edit];
        var ledger = new RunLedger(_folder);
        ledger.Save(Dae);
        Assert.Equal(2, ledger.Find(DaeId)!.BestEpoch); // whole as saved
        var json = JsonNode.Parse(File.ReadAllText(PathOf(DaeId)))!.AsObject();
        change(json);
        File.WriteAllText(PathOf(DaeId), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var e = Assert.Throws<DataFormatException>(() => ledger.Find(DaeId));

        Assert.Equal($"{PathOf(DaeId)}: field '{field}': {problem}{Remedy}", e.Message);
    }

    [Fact]
    public void Find_LeaveOneOutRun_NeedsTheLeaveOneOutMetrics()
    {
        var ledger = new RunLedger(_folder);
        var run = Popularity with
        {
            Id = "loo-popularity", Study = StudyKind.Table3,
            Test = [new MetricOutcome("Recall@10", 0.4, 0.01), new MetricOutcome("NDCG@10", 0.2, 0.01)],
            TestPerUser = new Dictionary<string, double[]> { ["Recall@10"] = [1, 0, 0], ["NDCG@10"] = [0.5, 0, 0] },
        };
        ledger.Save(run);
        Assert.Equal(0.2, ledger.Find("loo-popularity")!.Metric("NDCG@10").Mean);

        ledger.Save(run with { Test = [run.Test[0]], TestPerUser = new Dictionary<string, double[]> { ["Recall@10"] = [1, 0, 0] } });
        var e = Assert.Throws<DataFormatException>(() => ledger.Find("loo-popularity"));
        Assert.Equal($"{PathOf("loo-popularity")}: field 'Test': has no NDCG@10 (a Table3 run's test metrics are Recall@10, NDCG@10){Remedy}", e.Message);
    }

    [Fact]
    public void Find_ValueOfAnotherKind_IsRefusedNamingLineFieldAndWhatItShouldHold()
    {
        var ledger = new RunLedger(_folder);
        ledger.Save(Dae);
        var path = PathOf(DaeId);
        string saved = File.ReadAllText(path);

        AssertRefusedAtLine(saved.Replace("\"Study\": \"Table2\"", "\"Study\": \"Bogus\""), "\"Study\"", "Study", $"holds \"Bogus\", not one of {Studies}");
        AssertRefusedAtLine(saved.Replace("\"Study\": \"Table2\"", "\"Study\": null"), "\"Study\"", "Study", $"holds null, not one of {Studies}");
        var indices = JsonNode.Parse(saved)!.AsObject();
        indices["TestUserIndices"]![1] = "x";
        AssertRefusedAtLine(indices.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), "\"x\"", "TestUserIndices[1]",
            "holds \"x\", not a whole number from -2147483648 to 2147483647");
        var test = JsonNode.Parse(saved)!.AsObject();
        test["Test"] = new JsonObject { ["a"] = 1 };
        AssertRefusedAtLine(test.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), "\"Test\"", "Test", "holds an object, not a list");
        AssertRefusedAtLine("[1, 2]", "[1, 2]", "run record", "holds a list, not an object");

        void AssertRefusedAtLine(string text, string lineHolds, string field, string problem)
        {
            File.WriteAllText(path, text);
            int line = Array.FindIndex(text.Split('\n'), l => l.Contains(lineHolds, StringComparison.Ordinal)) + 1;
            var e = Assert.Throws<DataFormatException>(() => ledger.Find(DaeId));
            Assert.Equal($"{path}:{line}: field '{field}': {problem}{Remedy}", e.Message);
            Assert.Equal(line, e.LineNumber);
        }
    }

    [Fact]
    public void Find_EmptyNullOrBrokenFile_IsRefusedWithoutTheParsersText()
    {
        var ledger = new RunLedger(_folder);
        var path = PathOf("popularity");

        File.WriteAllText(path, "");
        Assert.Equal($"{path}: field 'run record': the file is empty{Remedy}", Assert.Throws<DataFormatException>(() => ledger.Find("popularity")).Message);
        File.WriteAllText(path, "null");
        Assert.Equal($"{path}: field 'run record': holds null, not a run record{Remedy}",
            Assert.Throws<DataFormatException>(() => ledger.Find("popularity")).Message);
        File.WriteAllText(path, "{\n  \"Id\": \"popularity\",\n  not json }");
        Assert.Equal($"{path}:3: field 'run record': not valid JSON at byte 3 of the line{Remedy}",
            Assert.Throws<DataFormatException>(() => ledger.Find("popularity")).Message);
    }

    [Fact]
    public void Find_CutFile_IsRefusedAsEndingEarly()
    {
        var ledger = new RunLedger(_folder);
        ledger.Save(Dae);
        var path = PathOf(DaeId);
        string saved = File.ReadAllText(path);
        // Cut inside the history: the whole of it is valid JSON as far as it goes.
        int cut = saved.IndexOf("\"Loss\"", StringComparison.Ordinal) + 4;
        File.WriteAllText(path, saved[..cut]);

        var e = Assert.Throws<DataFormatException>(() => ledger.Find(DaeId));

        Assert.StartsWith($"{path}:", e.Message);
        Assert.EndsWith($"field 'History[0]': not valid JSON: the file ends early{Remedy}", e.Message);
        Assert.Equal(saved[..cut].Split('\n').Length, e.LineNumber);
        foreach (var internals in new[] { "isFinalBlock", "LineNumber", "Path: $", "Exception", "VaeCfCluster", "System." })
            Assert.DoesNotContain(internals, e.Message);
    }
}
