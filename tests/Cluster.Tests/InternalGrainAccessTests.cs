using VaeCfCluster.Cluster.Tests.Support;
using VaeCfCluster.Grains.Abstractions.Evaluation;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>
/// The silos' configuration keeps clients out of the internal grains: a client reaches the job grain, and the job's
/// workers, shards and evaluators still talk to one another, but a client's own call to them is refused.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class InternalGrainAccessTests(ThreeSiloCluster fixture)
{
    [Fact(Timeout = 60_000)]
    public async Task ClientCallsShardWriteState_RefusedNamingTheClientFacingGrain()
    {
        var shard = fixture.Grains.GetGrain<IParameterShardGrain>("access/0");
        var chunk = new ShardStateChunk(1, ShardStateKind.Parameters, 0, new byte[16], 0, 0);

        var e = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => shard.WriteStateAsync(chunk));

        Assert.Equal("IParameterShardGrain is internal to the cluster; clients use IJobQueueGrain, ITrainingJobGrain.", e.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task ClientCallsWorkerServerOrEvaluator_Refused()
    {
        var worker = fixture.Grains.GetGrain<ITrainingWorkerGrain>("access/0");
        var server = fixture.Grains.GetGrain<IParameterServerGrain>("access");
        var evaluator = fixture.Grains.GetGrain<IEvaluationGrain>("access/0");

        var refusals = new[]
        {
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => worker.ReleaseAsync(1)),
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => server.SetShardVersionsAsync([])),
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => evaluator.EvaluateAsync(null!)),
        };

        Assert.All(refusals, e => Assert.EndsWith("is internal to the cluster; clients use IJobQueueGrain, ITrainingJobGrain.", e.Message));
        Assert.StartsWith(nameof(ITrainingWorkerGrain), refusals[0].Message);
        Assert.StartsWith(nameof(IParameterServerGrain), refusals[1].Message);
        Assert.StartsWith(nameof(IEvaluationGrain), refusals[2].Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task ClientTakesAJobSlot_RefusedButReadsTheQueue()
    {
        var e = await Assert.ThrowsAsync<UnauthorizedAccessException>(
            () => fixture.Grains.GetGrain<IJobSlotGrain>(IJobQueueGrain.Key).AcquireAsync("access-slot"));

        Assert.Equal("IJobSlotGrain is internal to the cluster; clients use IJobQueueGrain, ITrainingJobGrain.", e.Message);
        var queue = await fixture.Grains.GetGrain<IJobQueueGrain>(IJobQueueGrain.Key).GetQueueAsync();
        Assert.DoesNotContain("access-slot", queue.Running.Concat(queue.Queued));
        Assert.Equal(2, queue.MaxConcurrent);
    }

    [Fact(Timeout = 120_000)]
    public async Task ClientTrainsThroughJobGrain_JobsInternalCallsPass()
    {
        var split = PlantedSplit.Create(120, 20, 40, 3, seed: 3);
        var config = new AutoencoderConfig { ItemCount = 40, HiddenDims = [16], LatentDim = 4 };
        var options = new TrainerOptions { Epochs = 1, BatchSize = 30, Seed = 1 };

        var status = await ClusterJobs.TrainAsync(fixture.Grains, "access-job", split, config, options,
            new ClusterSettings { Workers = 2, ParameterShards = 2 });

        Assert.Equal(TrainingJobState.Completed, status.State);
        Assert.Equal(2, status.Workers);
        Assert.NotEmpty(status.Test);
        Assert.Equal("Mult-VAE", status.Model);
    }
}
