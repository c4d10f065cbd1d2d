using TorchSharp;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Sharding;

/// <summary>
/// The item-sharded step and evaluation in one process leave nothing for the garbage collector: every tensor handle they
/// make is freed by a dispose scope, so a long run's memory does not pile up between collections.
/// </summary>
public sealed class ItemShardedStepExecutorTests
{
    [Theory]
    [InlineData(ModelKind.Vae)]
    [InlineData(ModelKind.Dae)]
    public async Task StepAndEvaluate_MakeNoTensorOutsideADisposeScope(ModelKind kind)
    {
        var split = PlantedSplit.Create(64, 8, 30, 3, seed: 2);
        var config = new AutoencoderConfig { Kind = kind, ItemCount = 30, HiddenDims = [8], LatentDim = 4, WeightDecay = 0.01 };
        using var network = new AutoencoderNetwork(config, seed: 1);
        using var optimizer = new AdamOptimizer(network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray(), new AdamOptions());
        using var executor = new ItemShardedStepExecutor(network, optimizer, split, new TrainerOptions { BatchSize = 32, Seed = 3, EvaluationBatchSize = 5 }, shards: 3);
        await executor.StartAsync(CancellationToken.None);
        var rows = Enumerable.Range(0, 32).ToArray();
        var metrics = new[] { RankingMetric.Ndcg(100) };
        await executor.StepAsync(new TrainingStep(1, 1, rows, 0.1), CancellationToken.None);
        await executor.EvaluateAsync(HeldOutSet.Validation, metrics, CancellationToken.None);

        // Per thread: these calls complete synchronously, so they run on this thread.
        var statistics = DisposeScopeManager.Statistics;
        long before = statistics.CreatedOutsideScopeCount;
        long liveBefore = statistics.ThreadTotalLiveCount;
        for (int step = 2; step <= 4; step++)
            await executor.StepAsync(new TrainingStep(1, step, rows, 0.1), CancellationToken.None);
        long afterSteps = statistics.CreatedOutsideScopeCount;
        long liveAfterSteps = statistics.ThreadTotalLiveCount;
        await executor.EvaluateAsync(HeldOutSet.Validation, metrics, CancellationToken.None);
        await executor.SyncMirrorAsync(CancellationToken.None);

        Assert.Equal(before, afterSteps);
        Assert.Equal(liveBefore, liveAfterSteps);
        Assert.Equal(liveBefore, statistics.ThreadTotalLiveCount);
        Assert.Equal(afterSteps, statistics.CreatedOutsideScopeCount);
        Assert.Equal(4, optimizer.StepCount);
    }
}
