using VaeCfCluster.Grains.Jobs;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>A later run of a job gets a larger generation, so silos can refuse the calls of a run left over from before.</summary>
public sealed class JobGenerationTests
{
    [Fact]
    public void Next_IsTheSecondsSince2026_AndAlwaysLargerThanTheLast()
    {
        double seconds = (DateTime.UtcNow - new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds;
        var generations = Enumerable.Range(0, 1000).Select(_ => JobGeneration.Next()).ToArray();
        Assert.InRange(generations[0], (int)seconds - 1, (int)seconds + 1000);
        for (int k = 1; k < generations.Length; k++) Assert.True(generations[k] > generations[k - 1]);
        var concurrent = new int[4000];
        Parallel.For(0, concurrent.Length, k => concurrent[k] = JobGeneration.Next());
        Assert.Equal(concurrent.Length, concurrent.Distinct().Count());
        Assert.True(concurrent.Min() > generations[^1]);
    }
}
