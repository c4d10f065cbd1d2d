using System.Diagnostics;
using VaeCfCluster.Cluster.Tests.Support;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;
using Xunit.Abstractions;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>
/// Many jobs on the two-silo cluster with <c>Jobs:MaxConcurrent</c> = 2: eight submitted at once all finish, two at a
/// time, the others queued in submission order with their position, each with the model it gets when run alone; and a
/// job too big for the silos' memory is refused before it allocates.
/// </summary>
[Collection(TwoSiloCollection.Name)]
public sealed class JobQueueTests(TwoSiloCluster fixture, ITestOutputHelper output) : IDisposable
{
    private const int Jobs = 8;
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-queue-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static AutoencoderConfig Config(int k) => new() { ItemCount = 40 + 4 * k, HiddenDims = [16], LatentDim = 4, Kind = k % 2 == 0 ? ModelKind.Vae : ModelKind.Dae };

    private static TrainerOptions Options(int k, string? checkpoint) => new()
    {
        Epochs = 40, BatchSize = 30, Seed = 100 + k, CheckpointPath = checkpoint, EvaluationBatchSize = 17,
        Beta = new BetaScheduleOptions { TotalAnnealSteps = 8 },
    };

    [Fact(Timeout = 240_000)]
    public async Task EightJobsAtOnce_RunTwoAtATimeInSubmissionOrder_EachGivesItsModelAlone()
    {
        var splits = Enumerable.Range(0, Jobs).Select(k => PlantedSplit.Create(300, 20, Config(k).ItemCount, 4, seed: (ulong)(30 + k))).ToArray();
        var jobs = Enumerable.Range(0, Jobs).Select(k => $"queue-{k}").ToArray();
        // One worker computes exactly the single process's gradient, so each job alone gives the single-process model.
        var cluster = new ClusterSettings { Workers = 1, ParameterShards = 2, Evaluators = 2, MaxChunkBytes = 4096 };
        var queue = fixture.Grains.GetGrain<IJobQueueGrain>(IJobQueueGrain.Key);
        Assert.Equal(new JobQueueSnapshot(TwoSiloCluster.MaxConcurrent, [], []), await queue.GetQueueAsync(), new SnapshotComparer());
        var clock = Stopwatch.StartNew();
        var submitted = new List<TrainingJobStatus>();
        for (int k = 0; k < Jobs; k++)
        {
            var before = await queue.GetQueueAsync();
            submitted.Add(await new TrainingJobClient(fixture.Grains, jobs[k]).StartAsync(SplitSerializer.Serialize(splits[k]), "test", Config(k),
                Options(k, null), cluster, fresh: true));
            AssertPlaceInLine(jobs[k], submitted[k], before, await queue.GetQueueAsync());
        }
        output.WriteLine($"submitted {Jobs} jobs in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", submitted.Select(s => $"{s.State}@{s.QueuePosition}"))}");

        // Jobs past the slots wait with their place in line: the first two get the free slots, and a later job gets one
        // only for a slot a finished job gave back (on a busy machine the first jobs may end before the last is submitted).
        int finished = (await Task.WhenAll(jobs.Select(j => fixture.Grains.GetGrain<ITrainingJobGrain>(j).GetStatusAsync()))).Count(s => s.IsFinished);
        Assert.All(submitted.Take(TwoSiloCluster.MaxConcurrent), s => Assert.Equal((TrainingJobState.Starting, 0), Where(s)));
        Assert.InRange(submitted.Count(s => s.State != TrainingJobState.Queued), TwoSiloCluster.MaxConcurrent, TwoSiloCluster.MaxConcurrent + finished);

        var slotOrder = new List<string>();
        int mostRunning = 0;
        bool sawQueuedWhileRunning = false;
        TrainingJobStatus[] statuses;
        while (true)
        {
            var snapshot = await queue.GetQueueAsync();
            statuses = await Task.WhenAll(jobs.Select(j => fixture.Grains.GetGrain<ITrainingJobGrain>(j).GetStatusAsync()));
            Assert.True(snapshot.Running.Count <= TwoSiloCluster.MaxConcurrent, $"running: {string.Join(", ", snapshot.Running)}");
            slotOrder.AddRange(snapshot.Running.Where(j => !slotOrder.Contains(j)));
            int running = statuses.Count(s => s.State is TrainingJobState.Training or TrainingJobState.Validating or TrainingJobState.Testing);
            mostRunning = Math.Max(mostRunning, running);
            var queued = statuses.Where(s => s.State == TrainingJobState.Queued).ToArray();
            if (running > 0 && queued.Length > 0)
            {
                sawQueuedWhileRunning = true;
                // The status's position is the job's place in the queue grain's list (or one place ahead, if it moved since).
                Assert.All(queued, s => Assert.InRange(s.QueuePosition, 1, Jobs));
            }
            if (statuses.All(s => s.IsFinished)) break;
            await Task.Delay(50);
        }
        output.WriteLine($"all {Jobs} finished in {clock.Elapsed.TotalSeconds:F1} s; at most {mostRunning} training at once; slots taken in order {string.Join(", ", slotOrder)}");

        Assert.All(statuses, s => Assert.True(s.State == TrainingJobState.Completed, $"{s.JobId}: {s.State} {s.Error}"));
        Assert.True(sawQueuedWhileRunning);
        Assert.Equal(TwoSiloCluster.MaxConcurrent, mostRunning);
        // Slots went out in submission order (a job that got its slot and finished between two looks may be missed).
        Assert.Equal(jobs.Where(slotOrder.Contains), slotOrder);
        Assert.True(slotOrder.Count >= Jobs / 2, $"saw only {slotOrder.Count} jobs holding a slot");
        Assert.Empty((await queue.GetQueueAsync()).Running);

        var alone = Stopwatch.StartNew();
        for (int k = 0; k < Jobs; k++) AssertSameAsAlone(k, splits[k], statuses[k]);
        output.WriteLine($"the {Jobs} jobs alone (single process) took {alone.Elapsed.TotalSeconds:F1} s");
    }

    [Fact(Timeout = 120_000)]
    public async Task SlotsFreedByCancellationAndFailure_GoToTheNextQueuedJob()
    {
        var split = PlantedSplit.Create(300, 20, 40, 4, seed: 9);
        var data = SplitSerializer.Serialize(split);
        var cluster = new ClusterSettings { Workers = 1, ParameterShards = 2, Evaluators = 2 };
        var config = new AutoencoderConfig { ItemCount = 40, HiddenDims = [16], LatentDim = 4 };
        var lasting = Options(0, null) with { Epochs = 500 };
        var clients = new[] { "slots-a", "slots-b", "slots-c", "slots-d", "slots-e" }.Select(j => new TrainingJobClient(fixture.Grains, j)).ToArray();
        var (a, b, c, d, e) = (clients[0], clients[1], clients[2], clients[3], clients[4]);
        var queue = fixture.Grains.GetGrain<IJobQueueGrain>(IJobQueueGrain.Key);
        try
        {
            await a.StartAsync(data, "test", config, lasting, cluster, fresh: true);
            await b.StartAsync(data, "test", config, lasting, cluster, fresh: true);
            // C's model does not match its data: it fails as soon as it holds a slot.
            Assert.Equal((TrainingJobState.Queued, 1), Where(await c.StartAsync(data, "test", config with { ItemCount = 44 }, lasting, cluster, fresh: true)));
            Assert.Equal((TrainingJobState.Queued, 2), Where(await d.StartAsync(data, "test", config, lasting, cluster, fresh: true)));
            Assert.Equal((TrainingJobState.Queued, 3), Where(await e.StartAsync(data, "test", config, lasting, cluster, fresh: true)));

            // A queued job cancelled leaves the queue; the others keep their order.
            await e.Job.CancelAsync();
            Assert.Equal(TrainingJobState.Cancelled, (await e.Job.GetStatusAsync()).State);
            Assert.Equal(new JobQueueSnapshot(2, ["slots-a", "slots-b"], ["slots-c", "slots-d"]), await queue.GetQueueAsync(), new SnapshotComparer());

            // A running job cancelled frees its slot for C, which fails and frees it for D.
            await a.Job.CancelAsync();
            Assert.Equal(TrainingJobState.Cancelled, (await a.Job.GetStatusAsync()).State);
            Assert.Equal(TrainingJobState.Failed, (await c.WaitAsync(TimeSpan.FromMilliseconds(50))).State);
            await Until(async () => (await d.Job.GetStatusAsync()).State is not TrainingJobState.Queued);
            Assert.Equal(new JobQueueSnapshot(2, ["slots-b", "slots-d"], []), await queue.GetQueueAsync(), new SnapshotComparer());
        }
        finally
        {
            foreach (var client in clients) await client.Job.CancelAsync();
        }
        Assert.Empty((await queue.GetQueueAsync()).Running);
    }

    [Fact(Timeout = 60_000)]
    public async Task HugeJob_RefusedBeforeItAllocates_WithTheNumbers()
    {
        var model = new ModelSettings { ItemCount = 2_000_000, HiddenDims = [600], LatentDim = 200 };
        var spec = new TrainingJobSpec("huge", model, new TrainerOptions().ToSettings(), new ClusterSettings { ParameterShards = 2 }, 1, new string('0', 64), Fresh: true);
        var job = fixture.Grains.GetGrain<ITrainingJobGrain>("queue-huge");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => job.StartAsync(spec));

        output.WriteLine(e.Message);
        long parameters = JobMemoryEstimate.ParameterCount(model);
        Assert.StartsWith($"Job 'queue-huge' needs about {4.0 * parameters * 6 / 1e9 + 4.0 * parameters * 3 / 2 / 1e9:0.0} GB per silo (", e.Message);
        Assert.Contains($"{parameters / 1e6:0.#}M parameters", e.Message);
        Assert.Contains("the silos have 64.0 MB free (Jobs:MemoryBudgetBytes)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(TrainingJobState.Created, (await job.GetStatusAsync()).State);
        Assert.DoesNotContain("queue-huge", (await fixture.Grains.GetGrain<IJobQueueGrain>(IJobQueueGrain.Key).GetQueueAsync()).Queued);
    }

    private static (TrainingJobState, int) Where(TrainingJobStatus s) => (s.State, s.QueuePosition);

    /// <summary>
    /// A job submitted between two looks at the queue took its place behind the jobs waiting at the first look (those
    /// still waiting at the second are all ahead of it), or a slot, which it gets only when none of those still waits
    /// and a slot is free. Jobs may have got slots between the looks (a running job finished); none can have joined
    /// ahead of it. When nothing moved, this is the exact position: one behind the last waiting job.
    /// </summary>
    private static void AssertPlaceInLine(string job, TrainingJobStatus status, JobQueueSnapshot before, JobQueueSnapshot after)
    {
        string where = $"{job} submitted: {status.State} at position {status.QueuePosition}; queue before: running [{string.Join(", ", before.Running)}], " +
                       $"waiting [{string.Join(", ", before.Queued)}]; after: running [{string.Join(", ", after.Running)}], waiting [{string.Join(", ", after.Queued)}]";
        Assert.False(before.Running.Contains(job) || before.Queued.Contains(job), where);
        if (status.State == TrainingJobState.Queued)
        {
            int stillAhead = after.Queued.TakeWhile(j => j != job).Count();
            Assert.True(after.Queued.Contains(job) || after.Running.Contains(job), where);
            Assert.True(status.QueuePosition >= (after.Queued.Contains(job) ? stillAhead + 1 : 1) && status.QueuePosition <= before.Queued.Count + 1, where);
        }
        else
        {
            Assert.True(Where(status) == (TrainingJobState.Starting, 0), where);
            Assert.True(after.Running.Contains(job) && after.Running.Count <= after.MaxConcurrent, where);
            Assert.False(after.Queued.Any(before.Queued.Contains), where);
        }
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        while (!await condition()) await Task.Delay(50);
    }

    private sealed class SnapshotComparer : IEqualityComparer<JobQueueSnapshot>
    {
        public bool Equals(JobQueueSnapshot? x, JobQueueSnapshot? y) =>
            x!.MaxConcurrent == y!.MaxConcurrent && x.Running.SequenceEqual(y.Running) && x.Queued.SequenceEqual(y.Queued);

        public int GetHashCode(JobQueueSnapshot obj) => obj.MaxConcurrent;
    }

    private void AssertSameAsAlone(int k, DataSplit split, TrainingJobStatus status)
    {
        string checkpoint = Path.Combine(_folder, $"alone-{k}.vaecf");
        // One LibTorch thread, as on the silos.
        var single = new Trainer(Options(k, checkpoint) with { Threads = 1 }).Train(split, Config(k));
        var (_, expected) = TensorFile.Read(checkpoint);
        var (_, actual) = TensorFile.Read(Path.Combine(TwoSiloCluster.StorageDirectory, status.JobId, "checkpoint.vaecf"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.data<float>().ToArray().SequenceEqual(actual[name].data<float>().ToArray()), $"{status.JobId} {name}: differs from the job alone");
        Assert.Equal(single.History.Select(h => h.Loss), status.History.Select(h => h.Loss));
        Assert.Equal(single.History.Select(h => h.ValidationNdcg100), status.History.Select(h => h.ValidationNdcg100));
        foreach (var metric in single.Test.Summaries)
            Assert.Equal(metric.Mean, status.Test.Single(t => t.Name == metric.Metric.Name).Mean, 1e-12);
    }
}
