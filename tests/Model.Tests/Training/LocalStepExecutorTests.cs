using TorchSharp;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Training;

/// <summary>
/// One process's step on the host leaves nothing for the garbage collector: every tensor handle it makes (the
/// gradients it reads included) is freed by a dispose scope, so a long run's memory does not pile up between
/// collections (it did: a step's gradient handles kept each step's gradients alive, gigabytes for a 34 M-weight model).
/// </summary>
public sealed class LocalStepExecutorTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task StepAsync_OnTheHost_MakesNoTensorOutsideADisposeScope(int neighbours)
    {
        var split = PlantedSplit.Create(64, 8, 30, 3, seed: 2);
        var config = new AutoencoderConfig
        {
            Kind = ModelKind.Dae, ItemCount = 30, HiddenDims = [], LatentDim = 4, WeightDecay = 0.01,
            ItemNeighbours = neighbours, NeighbourWeightDecay = neighbours > 0 ? 0.01 : 0,
        };
        using var network = new AutoencoderNetwork(config, seed: 1);
        if (neighbours > 0) network.SetNeighbourTargets(ItemNeighbourhood.Build(split.Train, neighbours));
        using var optimizer = new AdamOptimizer(network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray(), new AdamOptions());
        using var executor = new LocalStepExecutor(network, optimizer, split, new TrainerOptions { BatchSize = 32, Seed = 3 });
        var rows = Enumerable.Range(0, 32).ToArray();
        await executor.StepAsync(new TrainingStep(1, 1, rows, 0.1), CancellationToken.None);

        // Per thread: these steps complete synchronously, so they run on this thread.
        var statistics = DisposeScopeManager.Statistics;
        long before = statistics.CreatedOutsideScopeCount;
        long liveBefore = statistics.ThreadTotalLiveCount;
        for (int step = 2; step <= 4; step++)
            await executor.StepAsync(new TrainingStep(1, step, rows, 0.1), CancellationToken.None);

        Assert.Equal(before, statistics.CreatedOutsideScopeCount);
        Assert.Equal(liveBefore, statistics.ThreadTotalLiveCount);
        Assert.Equal(4, optimizer.StepCount);
    }
}
