using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Client.Tests.Experiments;

/// <summary>
/// <c>vaecf experiment</c> resumes without redoing finished runs, gives the same numbers when runs are redone with the
/// same seed, and refuses bad options and a folder made with other settings with one clear line.
/// </summary>
public sealed class ExperimentResumeTests(SmallExperiment experiment) : IClassFixture<SmallExperiment>
{
    private static readonly string[] Tables = ["table2.csv", "table2-search.csv", "table4.csv", "figure1.csv", "figure3.csv", "table3.csv"];

    /// <summary>A table's text without its wall-time column (a redone run takes other seconds, never other numbers).</summary>
    private static string Numbers(string folder, string table)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, table));
        int seconds = Array.IndexOf(lines[0].Split(','), "seconds");
        return seconds < 0 ? string.Join('\n', lines) : string.Join('\n', lines.Select(l => l[..l.LastIndexOf(',')]));
    }

    private static void AssertOneLineError(VaecfProcess.Result result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [RequiresDataSetFact("ml-100k")]
    public void Rerun_AfterRunsAreLost_RedoesOnlyThoseAndGivesTheSameNumbers()
    {
        Assert.True(experiment.First.ExitCode == 0, experiment.First.StandardError);
        var before = Tables.ToDictionary(t => t, t => Numbers(experiment.Folder, t));
        int planned = experiment.First.StandardError.Split('\n').Count(l => l.Contains(": running (experiment time"));
        File.Delete(Path.Combine(experiment.Folder, "runs", "ease-lambda-500.json"));
        File.Delete(Path.Combine(experiment.Folder, "runs", "dae-multinomial-wd-0.01.json"));

        var again = experiment.Run();

        Assert.True(again.ExitCode == 0, again.StandardError);
        var running = again.StandardError.Split('\n').Where(l => l.Contains(": running (experiment time")).ToArray();
        Assert.Equal(2, running.Length);
        Assert.Contains(running, l => l.Contains("EASE λ = 500"));
        Assert.Contains(running, l => l.Contains("Mult-DAE weight decay 0.01"));
        Assert.Equal(planned - 2, again.StandardError.Split('\n').Count(l => l.Contains(": finished earlier")));
        foreach (var (table, text) in before)
            Assert.Equal(text, Numbers(experiment.Folder, table));
    }

    [RequiresDataSetFact("ml-100k")]
    public void Rerun_WithOtherSettingsInTheSameFolder_IsRefused()
    {
        Assert.True(experiment.First.ExitCode == 0, experiment.First.StandardError);
        var other = VaecfProcess.Run(experiment.Root, "experiment", "--data", "ml-100k", "--heldout-users", "100", "--epochs", "2",
            "--studies", "figure1", "--out", experiment.Folder);
        AssertOneLineError(other, "holds runs made with other settings or data");
    }

    [RequiresDataSetFact("ml-100k")]
    public void Rerun_WithAWiderGrid_RunsOnlyTheNewValues()
    {
        Assert.True(experiment.First.ExitCode == 0, experiment.First.StandardError);
        // A copy of the finished folder, so the other tests' tables stay as the fixture's grid made them.
        var copy = Path.Combine(experiment.Root, "wider");
        CopyFolder(experiment.Folder, copy);
        int planned = experiment.First.StandardError.Split('\n').Count(l => l.Contains(": running (experiment time"));

        var wider = VaecfProcess.Run(experiment.Root, "experiment", "--data", "ml-100k", "--heldout-users", $"{SmallExperiment.HeldOutUsers}",
            "--epochs", $"{SmallExperiment.Epochs}", "--seed", $"{SmallExperiment.Seed}", "--baselines", "popularity,ease",
            "--ease-lambda", "200,500,1000", "--dae-weight-decay", "0.01,0.0001", "--threads", "2", "--out", copy);

        Assert.True(wider.ExitCode == 0, wider.StandardError);
        var running = wider.StandardError.Split('\n').Where(l => l.Contains(": running (experiment time")).ToArray();
        Assert.Contains("EASE λ = 1000", Assert.Single(running));
        Assert.Equal(planned, wider.StandardError.Split('\n').Count(l => l.Contains(": finished earlier")));
        Assert.Contains("ease-lambda-1000", File.ReadAllText(Path.Combine(copy, "table2-search.csv")));
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(directory.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to));
    }

    [Fact]
    public void Experiment_UnknownStudy_FailsNamingTheOption()
    {
        var result = VaecfProcess.Run(experiment.Root, "experiment", "--studies", "table9", "--out", Path.Combine(experiment.Root, "bad"));
        AssertOneLineError(result, "--studies: 'table9' is not a study");
        Assert.False(Directory.Exists(Path.Combine(experiment.Root, "bad")));
    }

    [Fact]
    public void Experiment_UnknownBaseline_FailsNamingTheOption()
    {
        var result = VaecfProcess.Run(experiment.Root, "experiment", "--baselines", "ease,bpr", "--out", Path.Combine(experiment.Root, "bad"));
        AssertOneLineError(result, "--baselines: 'bpr' is not a baseline");
    }
}
