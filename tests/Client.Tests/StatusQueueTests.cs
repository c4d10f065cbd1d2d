using VaeCfCluster.Client.Commands;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Model.Training;
using VaeCfCluster.Grains.Abstractions.Jobs;

namespace VaeCfCluster.Client.Tests;

/// <summary><c>vaecf status</c> and <c>vaecf train</c> show the cluster's job queue and a queued job's position.</summary>
public sealed class StatusQueueTests
{
    [Fact]
    public void DescribeQueue_RunningAndQueuedJobs_ListsSlotsAndPositions()
    {
        var text = StatusCommand.DescribeQueue(new JobQueueSnapshot(2, ["a", "b"], ["c", "d"]));

        Assert.Equal("running: 2 of 2 job slot(s) in use\n  a\n  b\nqueued: 2 job(s)\n  1. c\n  2. d\n", text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Describe_QueuedJob_ShowsItsPosition()
    {
        var status = new TrainingJobStatus { JobId = "c", DataName = "ml-1m", State = TrainingJobState.Queued, QueuePosition = 3 };

        Assert.Equal("job c (ml-1m): queued, position 3, waiting for a job slot", StatusCommand.Describe(status));
    }

    [Fact]
    public void ProgressAdapter_QueuedThenTraining_OneLinePerPositionThenTheClusterLine()
    {
        var log = new StringWriter();
        var adapter = new JobProgressAdapter(new Ignore(), log);
        var queued = new TrainingJobStatus { JobId = "c", State = TrainingJobState.Queued, QueuePosition = 2 };

        adapter.Report(queued);
        adapter.Report(queued);
        adapter.Report(queued with { QueuePosition = 1 });
        adapter.Report(new TrainingJobStatus { JobId = "c", State = TrainingJobState.Training, Workers = 2, Silos = 2, ParameterShards = 2, Evaluators = 2, Epochs = 1 });

        var lines = log.ToString().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["job c: queued, position 2, waiting for a job slot", "job c: queued, position 1, waiting for a job slot"], lines[..2]);
        Assert.StartsWith("cluster: 2 silo(s), 2 worker(s)", lines[2]);
    }

    [Fact]
    public void Describe_RecVaeJobTraining_NamesTheModelAndLeavesBetaOut()
    {
        var status = new TrainingJobStatus
        {
            JobId = "r", DataName = "ml-1m", Model = "RecVAE", State = TrainingJobState.Training, Epoch = 2, Epochs = 5, Batch = 3, Batches = 9,
            Step = 21, Loss = 412.5, Workers = 2, Silos = 2,
        };

        // No pace measured yet (a job resumed from a RecVAE checkpoint): none is shown, rather than "0 users/s".
        Assert.StartsWith("job r (ml-1m, RecVAE): training, epoch 2/5, batch 3/9, step 21, loss 412.500, 2 worker(s) on 2 silo(s)",
            StatusCommand.Describe(status));
        Assert.Contains(", 812 users/s, 2 worker(s)", StatusCommand.Describe(status with { UsersPerSecond = 812.2 }));
    }

    [Fact]
    public void Describe_JobCancelledWhileQueued_SaysSoWithoutZeros()
    {
        var status = new TrainingJobStatus { JobId = "q3", DataName = "ml-1m", Model = "Mult-VAE", State = TrainingJobState.Cancelled };

        Assert.Equal("job q3 (ml-1m, Mult-VAE): cancelled before it started training", StatusCommand.Describe(status));
    }

    [Fact]
    public void Describe_MultVaeJobTraining_ShowsBeta()
    {
        var status = new TrainingJobStatus
        {
            JobId = "v", DataName = "ml-1m", Model = "Mult-VAE", State = TrainingJobState.Training, Epoch = 2, Epochs = 5, Batch = 3, Batches = 9,
            Step = 21, Loss = 412.5, Beta = 0.042, Workers = 2, Silos = 2,
        };

        Assert.StartsWith("job v (ml-1m, Mult-VAE): training, epoch 2/5, batch 3/9, step 21, loss 412.500, beta 0.0420, 2 worker(s)",
            StatusCommand.Describe(status));
    }

    [Theory]
    [InlineData("RecVAE", "epoch 1/2 [########################] batch 4/4 loss 7.50 val NDCG@100 0.3000")]
    [InlineData("Mult-DAE", "epoch 1/2 [########################] batch 4/4 loss 7.50 val NDCG@100 0.3000")]
    [InlineData("Mult-VAE", "epoch 1/2 [########################] batch 4/4 loss 7.50 beta 0.2000 val NDCG@100 0.3000")]
    public void ProgressAdapter_FinishedEpoch_PrintsBetaOnlyForAnAnnealedVae(string model, string expectedStart)
    {
        var lines = new StringWriter();
        var adapter = new JobProgressAdapter(new TrainingProgressPrinter(lines, interactive: false), new StringWriter());
        var epoch = new EpochSummary(1, 4, 7.5, 7.0, 2.5, 0.2, 0.3, 1.0, 0.1, 100, 0);

        adapter.Report(new TrainingJobStatus
        {
            JobId = "p", Model = model, State = TrainingJobState.Training, Epoch = 2, Epochs = 2, Batch = 4, Batches = 4, History = [epoch],
        });

        Assert.StartsWith(expectedStart, lines.ToString());
    }

    [Fact]
    public void ProgressAdapter_EpochsFinishedBetweenTwoPolls_EachShowsTheBestAndTimeAsOfItsOwnEnd()
    {
        var shown = new List<TrainingProgress>();
        var adapter = new JobProgressAdapter(new Collect(shown), new StringWriter());
        // Three epochs of 10 s each finish between two polls; the second scores best, the third falls back.
        EpochSummary[] history =
        [
            new(1, 4, 7.5, 7.0, 0.5, 0.2, 0.11, 10, 0.1, 100, 0),
            new(2, 8, 7.0, 6.5, 0.5, 0.2, 0.17, 10, 0.1, 100, 0),
            new(3, 12, 6.9, 6.4, 0.5, 0.2, 0.15, 10, 0.1, 100, 0),
        ];

        adapter.Report(new TrainingJobStatus
        {
            JobId = "p", Model = "Mult-VAE", State = TrainingJobState.Training, Epoch = 4, Epochs = 5, Batch = 0, Batches = 4, History = history,
            BestValidationNdcg100 = 0.17, ElapsedSeconds = 31, RemainingSeconds = 20,
        });

        var epochs = shown.Where(p => p.EpochCompleted).ToArray();
        Assert.Equal([1, 2, 3], epochs.Select(p => p.Epoch));
        Assert.Equal([0.11, 0.17, 0.17], epochs.Select(p => p.BestValidationNdcg100));
        Assert.Equal([11.0, 21.0, 31.0], epochs.Select(p => p.Elapsed.TotalSeconds));
        Assert.Equal([40.0, 30.0, 20.0], epochs.Select(p => p.Remaining!.Value.TotalSeconds));
    }

    [Fact]
    public void ProgressAdapter_ResumedJob_NamesTheCheckpointsEpoch_AndALaterResumeIsSaidAndItsEpochsShownAgain()
    {
        var log = new StringWriter();
        var shown = new List<TrainingProgress>();
        var adapter = new JobProgressAdapter(new Collect(shown), log);
        EpochSummary Epoch(int e) => new(e, e * 4, 7.0, 6.5, 0.5, 0.2, 0.1 + e / 100.0, 10, 0.1, 100, 0);
        var running = new TrainingJobStatus
        {
            JobId = "r", Model = "Mult-VAE", State = TrainingJobState.Training, Epoch = 8, Epochs = 50, Batches = 4, Workers = 1, Silos = 2,
            Resumed = true, ResumedAfterEpoch = 5, History = [.. Enumerable.Range(1, 7).Select(Epoch)],
        };

        // Followed from epoch 7 of an attempt that resumed after epoch 5: the checkpoint's epoch is named.
        adapter.Report(running);
        // A silo is lost; the next attempt resumes after epoch 6, and epoch 7 is trained (and shown) again.
        adapter.Report(running with { Epoch = 8, ResumedAfterEpoch = 6, History = [.. Enumerable.Range(1, 7).Select(Epoch)] });

        var lines = log.ToString().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("; resumed after epoch 5", lines[0]);
        Assert.Equal("job r: resumed after epoch 6 from its checkpoint (a silo was lost, or the job was restarted)", lines[1]);
        Assert.Equal([7], shown.Where(p => p.EpochCompleted).Select(p => p.Epoch));
    }

    private sealed class Collect(List<TrainingProgress> shown) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => shown.Add(value);
    }

    private sealed class Ignore : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) { }
    }
}
