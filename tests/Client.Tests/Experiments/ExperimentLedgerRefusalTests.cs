using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Client.Tests.Experiments;

/// <summary>
/// <c>vaecf experiment</c> with a run file that is not its run's record (copied from another run, edited) stops with
/// exit code 2 and one line naming the file and the field, instead of reporting another run's numbers in its place.
/// </summary>
public sealed class ExperimentLedgerRefusalTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vaecf-ledger-refusal-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder => Path.Combine(_root, "report");

    private VaecfProcess.Result Run() => VaecfProcess.Run(_root, "experiment", "--data", "ml-100k", "--heldout-users", "100", "--studies", "table2",
        "--epochs", "2", "--baselines", "popularity", "--dae-weight-decay", "0.01", "--single-process", "--threads", "2", "--out", Folder);

    [RequiresDataSetFact("ml-100k")]
    public void Rerun_WithARunFileCopiedFromAnotherRun_IsRefusedInOneLine()
    {
        var first = Run();
        Assert.True(first.ExitCode == 0, first.StandardError);
        string runs = Path.Combine(Folder, "runs"), dae = Path.Combine(runs, "dae-multinomial-wd-0.01.json");
        string report = File.ReadAllText(Path.Combine(Folder, "report.md"));
        File.Copy(Path.Combine(runs, "popularity.json"), dae, overwrite: true);

        var again = Run();

        Assert.Equal(2, again.ExitCode);
        var lines = again.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"error: {dae}: field 'Id': holds run \"popularity\", not \"dae-multinomial-wd-0.01\" (the file was copied or renamed " +
                     "from another run); delete the file to redo the run.", lines[^1]);
        Assert.DoesNotContain("   at ", again.StandardError);
        Assert.Equal(report, File.ReadAllText(Path.Combine(Folder, "report.md")));
    }
}
