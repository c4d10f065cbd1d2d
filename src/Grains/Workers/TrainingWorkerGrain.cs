using System.Diagnostics;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Placement;
using VaeCfCluster.Model.Distributed;

namespace VaeCfCluster.Grains.Workers;

/// <summary>
/// Holds a partition of a job's training users. Per step it brings its silo's replica up to the step's shard versions,
/// then computes its slice's gradient into that replica on the silo's compute thread; the silo's first worker hands
/// the summed gradient's parts to owners on other silos.
/// </summary>
[SpreadPlacement]
public sealed class TrainingWorkerGrain(TorchRuntime torch, JobReplicaRegistry replicas, VaeCfMetrics metrics) : Grain, ITrainingWorkerGrain
{
    private WorkerSetup? _setup;
    private UserPartition? _partition;
    private readonly ChunkAssembler _upload = new();

    /// <inheritdoc />
    public async Task PrepareAsync(WorkerSetup setup)
    {
        _partition = null;
        _setup = setup;
        await replicas.GetOrCreateAsync(setup);
    }

    /// <inheritdoc />
    public Task LoadDataAsync(PartitionChunk chunk)
    {
        if (_setup is null || chunk.Generation != _setup.Generation)
            throw new InvalidOperationException("The worker must be prepared for this job generation before it gets data.");
        if (_upload.Add(chunk.Index, chunk.Count, chunk.Bytes) is { } bytes)
            _partition = UserPartition.Deserialize(bytes);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<WorkerStepResult> ComputeGradientAsync(WorkerStepRequest request)
    {
        if (_setup is not { } setup || _partition is not { } partition || setup.Generation != request.Generation
            || await replicas.GetAsync(setup.JobId, setup.Generation) is not { } handle)
            return WorkerStepResult.NotReady;
        var clock = Stopwatch.StartNew();
        long fetched = await ReplicaFetcher.RefreshAsync(GrainFactory, torch, setup.JobId, setup.Generation, handle,
            request.ShardVersions, setup.MaxChunkBytes);
        double fetchMs = clock.Elapsed.TotalMilliseconds;
        int index = SpreadPlacementDirector.IndexOf(this.GetPrimaryKeyString());
        var loss = await torch.RunAsync(() => handle.Replica.Compute(index, partition, request.Users, request.Step, setup.Seed,
            request.Epoch, request.Beta, request.GlobalBatchUsers));
        double computeMs = clock.Elapsed.TotalMilliseconds - fetchMs;
        metrics.WorkerStepCompleted(setup.JobId, clock.Elapsed.TotalSeconds);
        return new WorkerStepResult(true, loss.NegativeLogLikelihoodSum, loss.KlDivergenceSum, loss.UserCount, replicas.Silo,
            fetched, computeMs, fetchMs);
    }

    /// <inheritdoc />
    public async Task<GradientChunk> ReadGradientAsync(int generation, long step, int shard, int index)
    {
        if (_setup is not { } setup || setup.Generation != generation || await replicas.GetAsync(setup.JobId, generation) is not { } handle)
            throw new InvalidOperationException($"Worker {this.GetPrimaryKeyString()} holds no gradient of job generation {generation}.");
        var part = await torch.RunAsync(() =>
        {
            var parts = handle.Replica.GradientOf(step)?.PartsFor(shard, setup.MaxChunkBytes, setup.CompressGradients)
                        ?? throw new InvalidOperationException($"Silo {replicas.Silo} has no gradient of step {step}.");
            return (Part: parts.Count > index ? parts[index] : null, parts.Count);
        });
        int worker = SpreadPlacementDirector.IndexOf(this.GetPrimaryKeyString());
        return part.Part is { } p
            ? new GradientChunk(generation, step, worker, index, p.SegmentStarts, p.SegmentLengths, p.Values, p.Bf16, part.Count)
            : new GradientChunk(generation, step, worker, index, [], [], [], setup.CompressGradients, part.Count);
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(int generation)
    {
        string key = this.GetPrimaryKeyString();
        await replicas.ReleaseAsync(key[..Math.Max(0, key.LastIndexOf('/'))], generation);
        _partition = null;
        _setup = null;
        DeactivateOnIdle();
    }
}
