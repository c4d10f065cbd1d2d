using System.Collections.Concurrent;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Tuning;
using Xunit;

namespace VaeCfCluster.Model.Tests.Tuning;

/// <summary>
/// Runs trained side by side (<see cref="TuningSession.Parallel"/>) give each run's outcome as it is alone, and really
/// overlap; a failing run stops the others and is reported.
/// </summary>
public sealed class TuningSessionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-tuning-session-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly Dictionary<string, double>[] Trials =
    [
        new() { ["lr"] = 1e-3, ["dropout"] = 0.5, ["weight_decay"] = 0.01, ["latent"] = 8 },
        new() { ["lr"] = 3e-3, ["dropout"] = 0.3, ["weight_decay"] = 0.001, ["latent"] = 12 },
        new() { ["lr"] = 1e-3, ["dropout"] = 0.2, ["weight_decay"] = 0.1, ["latent"] = 6 },
        new() { ["lr"] = 5e-4, ["dropout"] = 0.5, ["weight_decay"] = 0.01, ["latent"] = 10 },
    ];

    [Fact]
    public void Search_TwoRunsAtOnce_SameOutcomesAsOneAfterAnother_AndTheRunsOverlap()
    {
        var split = PlantedSplit.Create(300, 40, 60, 4, seed: 3);
        var one = new TuningSession(new TuningLedger(Path.Combine(_folder, "one")), _ => new TuningRunner(4, 0, 7), _ => { }, parallel: 1);
        var lines = new ConcurrentQueue<string>();
        var two = new TuningSession(new TuningLedger(Path.Combine(_folder, "two")), _ => new TuningRunner(4, 0, 7), lines.Enqueue, parallel: 2, threadsPerRun: 1);

        var alone = one.Search("dae", Trials, split, 1, "planted", null, CancellationToken.None);
        var sideBySide = two.Search("dae", Trials, split, 1, "planted", null, CancellationToken.None);

        Assert.Equal(alone.Select(o => o.Id), sideBySide.Select(o => o.Id));
        for (int i = 0; i < alone.Count; i++)
        {
            Assert.Equal(alone[i].ValidationNdcg100, sideBySide[i].ValidationNdcg100);
            Assert.Equal(alone[i].BestEpoch, sideBySide[i].BestEpoch);
            Assert.Equal(alone[i].TestNdcg100PerUser, sideBySide[i].TestNdcg100PerUser);
        }
        // The second run started before the first finished: its start line comes before the first's result line.
        var log = lines.ToList();
        int secondStarts = log.FindIndex(l => l.StartsWith($"run {alone[1].Id}: dae", StringComparison.Ordinal));
        int firstEnds = log.FindIndex(l => l.StartsWith($"run {alone[0].Id}: validation", StringComparison.Ordinal));
        Assert.InRange(secondStarts, 0, firstEnds);
        // Epoch lines name their run.
        Assert.Contains(log, l => l.StartsWith($"  {alone[0].Id}: ", StringComparison.Ordinal));
    }

    [Fact]
    public void RunAll_ARunFails_TheOthersStopAndItsErrorIsRethrown()
    {
        var split = PlantedSplit.Create(120, 20, 40, 3, seed: 4);
        var ledger = new TuningLedger(Path.Combine(_folder, "failing"));
        var session = new TuningSession(ledger, _ => new TuningRunner(2, 0, 7), _ => { }, parallel: 2, threadsPerRun: 1);
        var good = new TuningRun("dae", Trials[0], 1, "planted");
        var bad = new TuningRun("no-such-model", Trials[1], 1, "planted");

        var e = Assert.Throws<ArgumentException>(() => session.RunAll([(good, split), (bad, split)], null, CancellationToken.None));

        Assert.Contains("Unknown model 'no-such-model'", e.Message);
        Assert.Null(ledger.Find(bad, split.Test.UserCount));
    }
}
