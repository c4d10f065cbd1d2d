using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Evaluation.LeaveOneOut;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// What a finished run read from the ledger must hold before a study or the report uses it: the run the file is named
/// for (a file copied from another run would put that run's numbers in its place), its model, setting and study, the
/// test metrics the report shows, per-user values for every test user (for paired t-tests and Figure 3), and for an
/// autoencoder an epoch history with its best epoch in it.
/// </summary>
internal static class RunRecordCheck
{
    private static readonly string[] PaperMetrics = RankingMetric.PaperMetrics.Select(m => m.Name).ToArray();
    private static readonly string[] LeaveOneOutMetrics = new SampledRankingEvaluator().Metrics.Select(m => m.Name).ToArray();

    /// <summary>Refuses <paramref name="run"/>, read from <paramref name="path"/> as run <paramref name="id"/>, unless it is whole.</summary>
    /// <exception cref="DataFormatException">Names the file and the first field at fault.</exception>
    public static void Require(RunOutcome run, string id, string path, string remedy)
    {
        if (ProblemOf(run, id) is var (field, problem)) throw JsonRecordFile.Refusal(path, 0, field, problem, remedy);
    }

    private static (string Field, string Problem)? ProblemOf(RunOutcome run, string id)
    {
        if (run.Id != id)
            return ("Id", run.Id is null ? "missing" : $"holds run \"{DataFormatException.Printable(run.Id)}\", not \"{id}\" (the file was copied or renamed from another run)");
        if (string.IsNullOrEmpty(run.Model)) return ("Model", "missing");
        if (run.Setting is null) return ("Setting", "missing");
        if (!Enum.IsDefined(run.Study)) return ("Study", $"holds {(int)run.Study}, not one of {string.Join(", ", Enum.GetNames<StudyKind>())}");
        return TestProblem(run) ?? PerUserProblem(run) ?? HistoryProblem(run);
    }

    private static (string, string)? TestProblem(RunOutcome run)
    {
        if (run.Test is null) return ("Test", "missing");
        if (run.Test.Count == 0) return ("Test", "no test metrics");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < run.Test.Count; i++)
        {
            if (run.Test[i] is null) return ($"Test[{i}]", "missing");
            if (run.Test[i].Name is not { } name) return ($"Test[{i}].Name", "missing");
            if (!names.Add(name)) return ($"Test[{i}].Name", $"\"{DataFormatException.Printable(name)}\" is listed twice");
        }
        // Table 3's runs are ranked against sampled negatives (leave-one-out metrics); every other study's by the paper's metrics.
        var needed = run.Study == StudyKind.Table3 ? LeaveOneOutMetrics : PaperMetrics;
        return needed.FirstOrDefault(n => !names.Contains(n)) is { } absent
            ? ("Test", $"has no {absent} (a {run.Study} run's test metrics are {string.Join(", ", needed)})")
            : null;
    }

    private static (string, string)? PerUserProblem(RunOutcome run)
    {
        if (run.TestUserIndices is null) return ("TestUserIndices", "missing");
        if (run.TestFoldInCounts is null) return ("TestFoldInCounts", "missing");
        if (run.TestPerUser is null) return ("TestPerUser", "missing");
        int users = run.TestUserIndices.Length;
        if (run.TestFoldInCounts.Length != users)
            return ("TestFoldInCounts", $"{run.TestFoldInCounts.Length} value(s) for the {users} test user(s) of TestUserIndices");
        foreach (var (metric, values) in run.TestPerUser)
        {
            if (values is null) return ($"TestPerUser.{DataFormatException.Printable(metric)}", "missing");
            if (values.Length != users) return ($"TestPerUser.{DataFormatException.Printable(metric)}", $"{values.Length} value(s) for the {users} test user(s) of TestUserIndices");
        }
        return run.Test.FirstOrDefault(m => !run.TestPerUser.ContainsKey(m.Name)) is { } bare
            ? ($"TestPerUser.{DataFormatException.Printable(bare.Name)}", "missing (every test metric has per-user values)")
            : null;
    }

    private static (string, string)? HistoryProblem(RunOutcome run)
    {
        if (run.History is null) return run.BestEpoch is null ? null : ("History", "missing (the run has a best epoch)");
        if (run.History.Count == 0) return ("History", "no epochs");
        for (int i = 0; i < run.History.Count; i++)
            if (run.History[i] is null) return ($"History[{i}]", "missing");
        if (run.BestEpoch is not { } best) return ("BestEpoch", "missing (the run has an epoch history)");
        if (best < 1 || best > run.History.Count) return ("BestEpoch", $"holds {best}, not an epoch of the history (1 to {run.History.Count})");
        return null;
    }
}
