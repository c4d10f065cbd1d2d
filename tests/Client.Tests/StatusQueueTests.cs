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

    private sealed class Ignore : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) { }
    }
}
