using Orleans.Runtime;
using VaeCfCluster.Grains.Jobs;
using Xunit;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>Which failures restart a job's run from its checkpoint instead of failing the job.</summary>
public sealed class SiloLossTests
{
    [Fact]
    public void Is_AGrainThatLostItsStateOrAnUnreachableSilo_ButNotOtherErrors()
    {
        var lost = GrainStateLost.Create("Parameter shard job/0", 7);
        Assert.True(SiloLoss.Is(lost));
        Assert.True(SiloLoss.Is(new AggregateException(new InvalidOperationException("other"), lost)));
        Assert.True(SiloLoss.Is(new Exception("wrapped", lost)));
        Assert.True(SiloLoss.Is(new SiloUnavailableException()));
        Assert.True(SiloLoss.Is(new ItemShardLostException(2, "Forward")));
        Assert.False(SiloLoss.Is(new InvalidOperationException("Step 4: shard 0 got 1 of worker 2's 3 gradient parts.")));
        Assert.False(SiloLoss.Is(new ArgumentException(lost.Message)));
    }
}
