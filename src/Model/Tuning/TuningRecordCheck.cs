using System.Globalization;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tuning;

/// <summary>
/// What a finished tuning run read from the ledger must hold before the search or the report uses it: the run it is
/// looked up for (id, model, settings and split seed: a file edited to other settings would have a model trained with
/// default settings reported as tuned), the test metrics the report shows, and one NDCG@100 per evaluated test user of
/// the split (the paired t-test against EASE pairs them user by user).
/// </summary>
internal static class TuningRecordCheck
{
    private static readonly string[] Metrics = RankingMetric.PaperMetrics.Select(m => m.Name).ToArray();

    /// <summary>Refuses <paramref name="outcome"/>, read from <paramref name="path"/> for <paramref name="run"/>, unless it is that run's whole record.</summary>
    /// <param name="outcome">What the file holds.</param>
    /// <param name="run">The run looked up.</param>
    /// <param name="testUsers">The split's evaluated test users (those with held-out clicks).</param>
    /// <param name="path">The file.</param>
    /// <param name="remedy">What to do about a refused file; ends the message.</param>
    /// <exception cref="DataFormatException">Names the file and the first field at fault.</exception>
    public static void Require(TuningOutcome outcome, TuningRun run, int testUsers, string path, string remedy)
    {
        if (ProblemOf(outcome, run, testUsers) is var (field, problem)) throw JsonRecordFile.Refusal(path, 0, field, problem, remedy);
    }

    private static (string, string)? ProblemOf(TuningOutcome outcome, TuningRun run, int testUsers)
    {
        if (outcome.Id != run.Id)
            return ("Id", outcome.Id is null ? "missing" : $"holds run \"{DataFormatException.Printable(outcome.Id)}\", not \"{run.Id}\" (the file was copied or renamed from another run)");
        if (outcome.Model != run.Model)
            return ("Model", outcome.Model is null ? "missing" : $"holds \"{DataFormatException.Printable(outcome.Model)}\", not this run's \"{run.Model}\"");
        if (outcome.Settings is null) return ("Settings", "missing");
        if (!SameSettings(outcome.Settings, run.Settings))
            return ("Settings", $"holds {Describe(outcome.Settings)}, not this run's {Describe(run.Settings)}");
        if (outcome.SplitSeed != run.SplitSeed) return ("SplitSeed", $"holds {outcome.SplitSeed}, not this run's {run.SplitSeed}");
        if (outcome.Test is null) return ("Test", "missing");
        if (outcome.Test.FirstOrDefault(t => t.Value is null).Key is { } bare) return ($"Test.{DataFormatException.Printable(bare)}", "missing");
        if (Metrics.FirstOrDefault(m => !outcome.Test.ContainsKey(m)) is { } absent)
            return ("Test", $"has no {absent} (a run's test metrics are {string.Join(", ", Metrics)})");
        if (outcome.TestNdcg100PerUser is null) return ("TestNdcg100PerUser", "missing");
        if (outcome.TestNdcg100PerUser.Length != testUsers)
            return ("TestNdcg100PerUser", $"{outcome.TestNdcg100PerUser.Length} value(s), but the split has {testUsers} evaluated test user(s)");
        return null;
    }

    private static bool SameSettings(IReadOnlyDictionary<string, double> stored, IReadOnlyDictionary<string, double> run) =>
        stored.Count == run.Count && run.All(s => stored.TryGetValue(s.Key, out var v) && v.Equals(s.Value));

    /// <summary>Settings as "{name value, ...}" at full precision ("{}" for none).</summary>
    private static string Describe(IReadOnlyDictionary<string, double> settings) =>
        DataFormatException.Printable("{" + string.Join(", ", settings.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => $"{s.Key} {s.Value.ToString("R", CultureInfo.InvariantCulture)}")) + "}");
}
