using System.Text.Json;
using System.Text.Json.Nodes;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Tuning;
using Xunit;

namespace VaeCfCluster.Model.Tests.Tuning;

/// <summary>
/// A tuning run file that is not the whole record of the run looked up (settings edited, per-user values cut, copied
/// from another run, not JSON) is refused in one line naming the file and the field: never taken as that run (a model
/// trained with default settings was reported as tuned), and never with the parser's text or an exception's name.
/// </summary>
public sealed class TuningLedgerRefusalTests : IDisposable
{
    private const string Remedy = "; delete the file to redo the run.";
    private static readonly TuningRun Run = new("ease", new Dictionary<string, double> { ["lambda"] = 500 }, 7, "data");
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-tuning-ledger-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(TuningRun run) => Path.Combine(_folder, run.Id + ".json");

    private static TuningOutcome Outcome(TuningRun run) => new(run.Id, run.Model, run.Settings.ToDictionary(), run.SplitSeed, 0.41, 0,
        new()
        {
            ["Recall@20"] = new MetricValue(0.3, 0.01), ["Recall@50"] = new MetricValue(0.45, 0.01), ["NDCG@100"] = new MetricValue(0.4, 0.01),
        },
        [0.1, 0.7], 3.5);

    /// <summary>Edits of the saved run whose values still read, and the field and problem each is refused with.</summary>
    private static readonly Dictionary<string, (Action<JsonObject> Edit, string Field, string Problem)> Edits = new()
    {
        ["Settings bogus"] = (o => o["Settings"] = new JsonObject { ["bogus"] = 1 }, "Settings", "holds {bogus 1}, not this run's {lambda 500}"),
        ["Settings value changed"] = (o => o["Settings"]!["lambda"] = 500.25, "Settings", "holds {lambda 500.25}, not this run's {lambda 500}"),
        ["Settings emptied"] = (o => o["Settings"] = new JsonObject(), "Settings", "holds {}, not this run's {lambda 500}"),
        ["Settings null"] = (o => o["Settings"] = null, "Settings", "missing"),
        ["Model edited"] = (o => o["Model"] = "wmf", "Model", "holds \"wmf\", not this run's \"ease\""),
        ["Model null"] = (o => o["Model"] = null, "Model", "missing"),
        ["SplitSeed edited"] = (o => o["SplitSeed"] = 8, "SplitSeed", "holds 8, not this run's 7"),
        ["Test null"] = (o => o["Test"] = null, "Test", "missing"),
        ["Test value null"] = (o => o["Test"]!["NDCG@100"] = null, "Test.NDCG@100", "missing"),
        ["Recall@50 removed"] = (o => o["Test"]!.AsObject().Remove("Recall@50"),
            "Test", "has no Recall@50 (a run's test metrics are Recall@20, Recall@50, NDCG@100)"),
        ["per-user values cut"] = (o => o["TestNdcg100PerUser"]!.AsArray().RemoveAt(1),
            "TestNdcg100PerUser", "1 value(s), but the split has 2 evaluated test user(s)"),
        ["per-user values null"] = (o => o["TestNdcg100PerUser"] = null, "TestNdcg100PerUser", "missing"),
    };

    public static TheoryData<string> EditNames => new(Edits.Keys);

    [Theory]
    [MemberData(nameof(EditNames))]
    public void Find_EditedRun_IsRefusedNamingTheField(string edit)
    {
        var (change, field, problem) = Edits[edit];
        var ledger = new TuningLedger(_folder);
        ledger.Add(Outcome(Run));
        Assert.Equal([0.1, 0.7], ledger.Find(Run, testUsers: 2)!.TestNdcg100PerUser); // whole as saved
        var json = JsonNode.Parse(File.ReadAllText(PathOf(Run)))!.AsObject();
        change(json);
        File.WriteAllText(PathOf(Run), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var e = Assert.Throws<DataFormatException>(() => ledger.Find(Run, testUsers: 2));

        Assert.Equal($"{PathOf(Run)}: field '{field}': {problem}{Remedy}", e.Message);
    }

    [Fact]
    public void Find_PerUserValuesOfAnotherCountOfTestUsers_IsRefused()
    {
        var ledger = new TuningLedger(_folder);
        ledger.Add(Outcome(Run));

        var e = Assert.Throws<DataFormatException>(() => ledger.Find(Run, testUsers: 3));

        Assert.Equal($"{PathOf(Run)}: field 'TestNdcg100PerUser': 2 value(s), but the split has 3 evaluated test user(s){Remedy}", e.Message);
    }

    [Fact]
    public void Find_RunFileCopiedFromAnotherRun_IsRefusedNamingItsId()
    {
        var ledger = new TuningLedger(_folder);
        var other = Run with { Settings = new Dictionary<string, double> { ["lambda"] = 200 } };
        ledger.Add(Outcome(other));
        File.Copy(PathOf(other), PathOf(Run));

        var e = Assert.Throws<DataFormatException>(() => ledger.Find(Run, testUsers: 2));

        Assert.Equal($"{PathOf(Run)}: field 'Id': holds run \"{other.Id}\", not \"{Run.Id}\" (the file was copied or renamed from another run){Remedy}",
            e.Message);
    }

    [Fact]
    public void Find_BrokenJson_IsRefusedInOneCleanLine()
    {
        var ledger = new TuningLedger(_folder);
        ledger.Add(Outcome(Run));
        var path = PathOf(Run);
        string saved = File.ReadAllText(path);

        File.WriteAllText(path, saved.Replace("\"SplitSeed\": 7", "\"SplitSeed\": -1"));
        int line = Array.FindIndex(saved.Split('\n'), l => l.Contains("\"SplitSeed\"")) + 1;
        Assert.Equal($"{path}:{line}: field 'SplitSeed': holds -1, not a whole number from 0 to 18446744073709551615{Remedy}",
            Assert.Throws<DataFormatException>(() => ledger.Find(Run, 2)).Message);

        File.WriteAllText(path, saved[..(saved.IndexOf("\"Test\"", StringComparison.Ordinal) + 20)]);
        var cut = Assert.Throws<DataFormatException>(() => ledger.Find(Run, 2));
        Assert.EndsWith($"not valid JSON: the file ends early{Remedy}", cut.Message);
        Assert.StartsWith($"{path}:", cut.Message);

        File.WriteAllText(path, "");
        Assert.Equal($"{path}: field 'tuning run': the file is empty{Remedy}", Assert.Throws<DataFormatException>(() => ledger.Find(Run, 2)).Message);

        foreach (var internals in new[] { "JsonException", "isFinalBlock", "LineNumber", "Path: $", "System.", "VaeCfCluster" })
            Assert.DoesNotContain(internals, cut.Message);
    }

    [Fact]
    public void Session_CountsTheTestUsersARunEvaluates_AndRefusesPerUserValuesCutShort()
    {
        var split = PlantedSplit.Create(120, 20, 40, 3, seed: 4);
        // Evaluation skips test users without held-out clicks: a run has one NDCG@100 per test user with some.
        int evaluated = Enumerable.Range(0, split.Test.UserCount).Count(u => split.Test.HeldOut.Row(u).Length > 0);
        Assert.InRange(evaluated, 2, split.Test.UserCount - 1);
        var ledger = new TuningLedger(_folder);
        var session = new TuningSession(ledger, _ => new TuningRunner(2, 0, 7), _ => { });
        var run = new TuningRun("ease", new Dictionary<string, double> { ["lambda"] = 50 }, 1, "planted");

        var trained = session.Get(run, split, CancellationToken.None);
        Assert.Equal(evaluated, trained.TestNdcg100PerUser.Length);
        Assert.Equal(trained.TestNdcg100PerUser, session.Get(run, split, CancellationToken.None).TestNdcg100PerUser); // found, not refused

        var json = JsonNode.Parse(File.ReadAllText(PathOf(run)))!.AsObject();
        json["TestNdcg100PerUser"]!.AsArray().RemoveAt(0);
        File.WriteAllText(PathOf(run), json.ToJsonString());
        var e = Assert.Throws<DataFormatException>(() => session.Get(run, split, CancellationToken.None));
        Assert.Equal($"{PathOf(run)}: field 'TestNdcg100PerUser': {evaluated - 1} value(s), but the split has {evaluated} " +
                     $"evaluated test user(s){Remedy}", e.Message);
    }
}
