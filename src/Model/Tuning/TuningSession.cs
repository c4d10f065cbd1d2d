using System.Diagnostics;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tuning;

/// <summary>
/// The plan of <c>vaecf tune</c>, run against a <see cref="TuningLedger"/> so that it resumes:
/// <list type="number">
/// <item>search: trials of the tuned model on the first split seed, picked by validation NDCG@100, within a trial count
/// and an optional time budget;</item>
/// <item>the best trial's settings, the compared models' defaults and each baseline's grid (picked by validation) on
/// every split seed.</item>
/// </list>
/// </summary>
public sealed class TuningSession(TuningLedger ledger, TuningRunner runner, Action<string> log)
{
    /// <summary>Runs (or finds) <paramref name="run"/> on <paramref name="split"/>.</summary>
    public TuningOutcome Get(TuningRun run, DataSplit split, CancellationToken cancellation)
    {
        if (ledger.Find(run) is { } done) return done;
        log($"run {run.Id}: {run.Model} ({run.Describe()}) on split seed {run.SplitSeed}");
        var outcome = runner.Run(run, split, line => log("  " + line), cancellation);
        ledger.Add(outcome);
        log(FormattableString.Invariant(
            $"run {run.Id}: validation NDCG@100 {outcome.ValidationNdcg100:F4}, test NDCG@100 {outcome.Test["NDCG@100"].Mean:F4}, {outcome.TrainSeconds:F0} s"));
        return outcome;
    }

    /// <summary>
    /// The search: the trials of <paramref name="model"/> in order on <paramref name="split"/>, stopping before a new trial
    /// once <paramref name="budget"/> (if any) has passed. Finished trials cost nothing and are always included.
    /// </summary>
    public IReadOnlyList<TuningOutcome> Search(string model, IReadOnlyList<Dictionary<string, double>> trials, DataSplit split, ulong splitSeed,
        string dataIdentity, TimeSpan? budget, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var outcomes = new List<TuningOutcome>();
        foreach (var settings in trials)
        {
            var run = new TuningRun(model, settings, splitSeed, dataIdentity);
            var done = ledger.Find(run);
            if (done is null && budget is { } b && clock.Elapsed >= b)
            {
                log($"search: the time budget of {b.TotalMinutes:F0} min is spent after {outcomes.Count} trial(s)");
                break;
            }
            outcomes.Add(done ?? Get(run, split, cancellation));
        }
        return outcomes;
    }

    /// <summary>The outcome with the best validation NDCG@100 among <paramref name="candidates"/>' runs on <paramref name="split"/>.</summary>
    public TuningOutcome Best(string model, IEnumerable<Dictionary<string, double>> candidates, DataSplit split, ulong splitSeed,
        string dataIdentity, CancellationToken cancellation) =>
        candidates.Select(c => Get(new TuningRun(model, c, splitSeed, dataIdentity), split, cancellation))
            .OrderByDescending(o => o.ValidationNdcg100).First();
}
