using System.Diagnostics;
using System.Runtime.ExceptionServices;
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
/// With <paramref name="parallel"/> above 1, up to that many runs train at once, each on its own thread with
/// <paramref name="threadsPerRun"/> LibTorch threads (several small runs use a machine's cores better than one run
/// spread over all of them). Each run computes what it computes alone with that many threads: runs share nothing but
/// the ledger, whose files are one per run.
/// </summary>
/// <param name="ledger">Finished runs.</param>
/// <param name="runnerFor">The runner of a model's runs (epochs and patience differ by model).</param>
/// <param name="log">Progress lines.</param>
/// <param name="parallel">Runs trained at once (1: one after another, as they are asked for).</param>
/// <param name="threadsPerRun">LibTorch threads of each parallel run's thread; 0 leaves LibTorch's default.</param>
public sealed class TuningSession(TuningLedger ledger, Func<string, TuningRunner> runnerFor, Action<string> log, int parallel = 1, int threadsPerRun = 0)
{
    /// <summary>Runs trained at once.</summary>
    public int Parallel { get; } = parallel >= 1 ? parallel : throw new ArgumentOutOfRangeException(nameof(parallel), "At least one run at a time.");

    /// <summary>Runs (or finds) <paramref name="run"/> on <paramref name="split"/>.</summary>
    public TuningOutcome Get(TuningRun run, DataSplit split, CancellationToken cancellation)
    {
        if (ledger.Find(run, EvaluatedTestUsers(split)) is { } done) return done;
        log($"run {run.Id}: {run.Model} ({run.Describe()}) on split seed {run.SplitSeed}");
        // Runs side by side interleave their lines: each names its run.
        string prefix = Parallel > 1 ? $"  {run.Id}: " : "  ";
        var outcome = runnerFor(run.Model).Run(run, split, line => log(prefix + line), cancellation);
        ledger.Add(outcome);
        log(FormattableString.Invariant(
            $"run {run.Id}: validation NDCG@100 {outcome.ValidationNdcg100:F4}, test NDCG@100 {outcome.Test["NDCG@100"].Mean:F4}, {outcome.TrainSeconds:F0} s"));
        return outcome;
    }

    /// <summary>
    /// The search: the trials of <paramref name="model"/> in order on <paramref name="split"/>, no new trial starting once
    /// <paramref name="budget"/> (if any) has passed. Finished trials cost nothing and are always included.
    /// </summary>
    public IReadOnlyList<TuningOutcome> Search(string model, IReadOnlyList<Dictionary<string, double>> trials, DataSplit split, ulong splitSeed,
        string dataIdentity, TimeSpan? budget, CancellationToken cancellation)
    {
        var runs = trials.Select(settings => new TuningRun(model, settings, splitSeed, dataIdentity)).ToArray();
        int testUsers = EvaluatedTestUsers(split);
        if (Parallel > 1)
        {
            RunAll(runs.Select(r => (r, split)), budget, cancellation);
            return runs.Select(r => ledger.Find(r, testUsers)).OfType<TuningOutcome>().ToList();
        }
        var clock = Stopwatch.StartNew();
        var outcomes = new List<TuningOutcome>();
        foreach (var run in runs)
        {
            var done = ledger.Find(run, testUsers);
            if (done is null && budget is { } b && clock.Elapsed >= b)
            {
                log(FormattableString.Invariant($"search: the time budget of {b.TotalMinutes:0.##} min is spent after {outcomes.Count} trial(s)"));
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

    /// <summary>
    /// Trains those of <paramref name="runs"/> the ledger lacks, <see cref="Parallel"/> at a time and in order, so that
    /// <see cref="Get"/> then finds them; no new run starts once <paramref name="budget"/> (if any) has passed. Nothing
    /// is done ahead when <see cref="Parallel"/> is 1. A failed or interrupted run stops the others and is rethrown.
    /// </summary>
    public void RunAll(IEnumerable<(TuningRun Run, DataSplit Split)> runs, TimeSpan? budget, CancellationToken cancellation)
    {
        if (Parallel == 1) return;
        var pending = runs.DistinctBy(r => r.Run.Id).Where(r => ledger.Find(r.Run, EvaluatedTestUsers(r.Split)) is null).ToList();
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var running = new List<Task>();
        Exception? first = null;
        int next = 0;
        while (true)
        {
            while (running.Count < Parallel && next < pending.Count && !stop.IsCancellationRequested)
            {
                if (budget is { } b && clock.Elapsed >= b)
                {
                    log(FormattableString.Invariant($"search: the time budget of {b.TotalMinutes:0.##} min is spent; {pending.Count - next} trial(s) not started"));
                    next = pending.Count;
                    break;
                }
                var (run, split) = pending[next++];
                // A thread of its own: LibTorch's thread count is a setting of the thread that calls it.
                running.Add(Task.Factory.StartNew(() =>
                {
                    if (threadsPerRun > 0) TorchSharp.torch.set_num_threads(threadsPerRun);
                    Get(run, split, stop.Token);
                }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            }
            if (running.Count == 0) break;
            var finished = running[Task.WaitAny([.. running])];
            running.Remove(finished);
            if (finished.Exception?.InnerException is { } e)
            {
                // The first real failure is the one reported; the interruptions it causes in the others are not.
                if (first is null || (first is OperationCanceledException && e is not OperationCanceledException)) first = e;
                stop.Cancel();
            }
        }
        if (first is not null) ExceptionDispatchInfo.Capture(first).Throw();
        cancellation.ThrowIfCancellationRequested();
    }

    /// <summary>The test users of <paramref name="split"/> with held-out clicks: those a run evaluates, one per-user NDCG@100 each.</summary>
    private static int EvaluatedTestUsers(DataSplit split)
    {
        var heldOut = split.Test.HeldOut;
        int users = 0;
        for (int u = 0; u < heldOut.RowCount; u++)
            if (heldOut.RowLength(u) > 0) users++;
        return users;
    }
}
