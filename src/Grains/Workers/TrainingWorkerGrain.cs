using System.Diagnostics;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Placement;
using VaeCfCluster.Model.Distributed;

namespace VaeCfCluster.Grains.Workers;

/// <summary>
/// Holds a partition of a job's training users and a replica of the model; per step it refreshes the replica from
/// the shards whose version changed, computes its slice's gradient on a pool thread, and pushes the parts to the shards.
/// </summary>
[SpreadPlacement]
public sealed class TrainingWorkerGrain(TorchRuntime torch, VaeCfMetrics metrics) : Grain, ITrainingWorkerGrain
{
    private WorkerSetup? _setup;
    private ParameterReplica? _replica;
    private DataParallelWorker? _worker;
    private readonly ChunkAssembler _upload = new();

    /// <inheritdoc />
    public async Task PrepareAsync(WorkerSetup setup)
    {
        _replica?.Dispose();
        _worker = null;
        _setup = setup;
        _replica = await torch.CreateReplicaAsync(setup);
    }

    /// <inheritdoc />
    public Task LoadDataAsync(PartitionChunk chunk)
    {
        if (_setup is null || _replica is null || chunk.Generation != _setup.Generation)
            throw new InvalidOperationException("The worker must be prepared for this job generation before it gets data.");
        if (_upload.Add(chunk.Index, chunk.Count, chunk.Bytes) is { } bytes)
            _worker = new DataParallelWorker(_replica, UserPartition.Deserialize(bytes), _setup.Seed);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<WorkerStepResult> ComputeGradientAsync(WorkerStepRequest request)
    {
        if (_setup is not { } setup || _worker is not { } worker || setup.Generation != request.Generation)
            return WorkerStepResult.NotReady;
        var clock = Stopwatch.StartNew();
        long fetched = await ReplicaFetcher.RefreshAsync(GrainFactory, setup.JobId, setup.Generation, worker.Replica,
            request.ShardVersions, setup.MaxChunkBytes);
        double fetchMs = clock.Elapsed.TotalMilliseconds;
        var (loss, parts) = await torch.RunAsync(() => worker.ComputeGradient(request.Users, request.Epoch, request.Beta,
            request.GlobalBatchUsers, setup.MaxChunkBytes, setup.CompressGradients));
        double computeMs = clock.Elapsed.TotalMilliseconds - fetchMs;
        int index = SpreadPlacementDirector.IndexOf(this.GetPrimaryKeyString());
        await Task.WhenAll(parts.Select((p, k) => GrainFactory.GetGrain<IParameterShardGrain>(GrainKeys.Shard(setup.JobId, p.Shard))
            .PushGradientAsync(new GradientChunk(setup.Generation, request.Step, index, k, p.SegmentStarts, p.SegmentLengths, p.Values, p.Bf16))));
        double pushMs = clock.Elapsed.TotalMilliseconds - fetchMs - computeMs;
        metrics.WorkerStepCompleted(setup.JobId, clock.Elapsed.TotalSeconds);
        return new WorkerStepResult(true, loss.NegativeLogLikelihoodSum, loss.KlDivergenceSum, loss.UserCount,
            parts.Sum(p => (long)p.Values.Length), fetched, computeMs, fetchMs, pushMs);
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _replica?.Dispose();
        return Task.CompletedTask;
    }
}
