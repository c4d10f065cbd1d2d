using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.ParameterServer;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>
/// A shard's buffer of pushed gradient parts. A job that fails mid-step and resumes from its checkpoint repeats step
/// numbers under a new generation. The failed attempt's parts must not be counted with the new ones; they once were,
/// and a soak run failed with "shard 0 got 4 of worker 1's 2 gradient parts".
/// </summary>
public sealed class PendingGradientPartsTests
{
    private static GradientChunk Part(int generation, long step, int worker, int index) =>
        new(generation, step, worker, index, [index], [1], BitConverter.GetBytes((float)(10 * worker + index)), false);

    [Fact]
    public void PartsOfAFailedAttempt_SameStepNewGeneration_OnlyTheNewGenerationsPartsAreTaken()
    {
        var pending = new PendingGradientParts();
        pending.Add(Part(generation: 1, step: 144, worker: 1, index: 0));
        pending.Add(Part(generation: 1, step: 144, worker: 1, index: 1));
        pending.Add(Part(generation: 2, step: 144, worker: 1, index: 1));
        pending.Add(Part(generation: 2, step: 144, worker: 1, index: 0));

        var taken = pending.Take(2, 144);

        Assert.Equal([(2, 1, 0), (2, 1, 1)], taken.Select(c => (c.Generation, c.Worker, c.Index)));
    }

    [Fact]
    public void PartsOfSeveralWorkers_TakenInWorkerThenPartOrder_AndTheBufferIsEmptyAfter()
    {
        var pending = new PendingGradientParts();
        foreach (var (worker, index) in new[] { (2, 1), (0, 1), (2, 0), (0, 0) }) pending.Add(Part(3, 7, worker, index));

        var taken = pending.Take(3, 7);

        Assert.Equal([(0, 0), (0, 1), (2, 0), (2, 1)], taken.Select(c => (c.Worker, c.Index)));
        Assert.Equal([10f * 2 + 1], taken[^1].Values.Chunk(4).Select(b => BitConverter.ToSingle(b)));
        Assert.Empty(pending.Take(3, 7));
    }

    [Fact]
    public void PartsOfAnEarlierStep_TakeOfTheNextStep_ReturnsNone()
    {
        var pending = new PendingGradientParts();
        pending.Add(Part(1, 5, 0, 0));

        Assert.Empty(pending.Take(1, 6));
        Assert.Empty(pending.Take(1, 5));
    }

    [Fact]
    public void PartsOfAnotherStep_Added_DropThoseHeldBefore()
    {
        var pending = new PendingGradientParts();
        pending.Add(Part(1, 5, 0, 0));
        pending.Add(Part(1, 6, 1, 0));

        Assert.Equal([1], pending.Take(1, 6).Select(c => c.Worker));
    }

    [Fact]
    public void Cleared_NothingIsTaken()
    {
        var pending = new PendingGradientParts();
        pending.Add(Part(1, 5, 0, 0));
        pending.Clear();

        Assert.Empty(pending.Take(1, 5));
    }
}
