using VaeCfCluster.Client.Commands;
using VaeCfCluster.Grains.Abstractions.Jobs;

namespace VaeCfCluster.Client.Tests;

/// <summary><c>vaecf status</c> shows the cluster's job queue and a queued job's position.</summary>
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
}
