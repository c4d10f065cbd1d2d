using VaeCfCluster.Grains.Jobs;
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
    private readonly NeighbourTargetsLoader _neighbours = new();

    /// <inheritdoc />
    public async Task PrepareAsync(WorkerSetup setup)
    {
        _partition = null;
        _setup = setup;
        _neighbours.Reset();
        await replicas.GetOrCreateAsync(setup);
    }

    /// <inheritdoc />
    public Task LoadDataAsync(PartitionChunk chunk)
    {
        if (_setup is null || chunk.Generation != _setup.Generation)
            throw GrainStateLost.Create($"Worker {this.GetPrimaryKeyString()}", chunk.Generation);
        if (_upload.Add(chunk.Index, chunk.Count, chunk.Bytes) is { } bytes)
            _partition = UserPartition.Deserialize(bytes);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task LoadNeighboursAsync(NeighbourChunk chunk) =>
        _neighbours.AddAsync(chunk, _setup, $"Worker {this.GetPrimaryKeyString()}", torch, replicas);

    /// <inheritdoc />
    public Task<bool> NeedsNeighboursAsync(int generation) =>
        _neighbours.NeedsAsync(generation, _setup, $"Worker {this.GetPrimaryKeyString()}", torch, replicas);

    /// <inheritdoc />
    public async Task<WorkerStepResult> ComputeGradientAsync(WorkerStepRequest request)
    {
        if (_setup is not { } setup || _partition is not { } partition || !_neighbours.Ready(setup) || setup.Generation != request.Generation
            || await replicas.GetAsync(setup.JobId, setup.Generation) is not { } handle)
            return WorkerStepResult.NotReady;
        var clock = Stopwatch.StartNew();
        long fetched = await ReplicaFetcher.RefreshAsync(GrainFactory, torch, setup.JobId, setup.Generation, handle,
            request.ShardVersions, setup.MaxChunkBytes, setup.CompressGradients);
        double fetchMs = clock.Elapsed.TotalMilliseconds;
        int index = SpreadPlacementDirector.IndexOf(this.GetPrimaryKeyString());
        var pushes = new List<Task>();
        var parts = new int[request.ShardSilos.Length];
        long pushed = 0;
        var recVae = request.RecVae?.ToStep(request.Users);
        // A RecVAE pass trains one side: only that side's shards get gradient parts.
        var (firstShard, endShard) = recVae is null ? (0, request.ShardSilos.Length) : handle.Replica.ShardsOf(recVae.Phase);
        var remote = Enumerable.Range(firstShard, endShard - firstShard).Where(s => request.ShardSilos[s] != replicas.Silo).ToArray();
        // References are taken here, on the activation's thread; the compute thread only calls through them.
        var shards = Enumerable.Range(0, request.ShardSilos.Length)
            .Select(s => GrainFactory.GetGrain<IParameterShardGrain>(GrainKeys.Shard(setup.JobId, s))).ToArray();
        var push = new GradientPush(remote, setup.MaxChunkBytes, setup.CompressGradients, part =>
        {
            // On the compute thread: number the part, then let a pool thread serialize and send it, so the backward
            // pass goes on while the output layer's parts travel.
            var chunk = new GradientChunk(setup.Generation, request.Step, index, parts[part.Shard]++, part.SegmentStarts, part.SegmentLengths,
                part.Values, part.Bf16);
            pushed += part.Values.Length;
            var shard = shards[part.Shard];
            pushes.Add(Task.Run(() => shard.PushGradientAsync(chunk)));
        });
        Model.Training.BatchLoss loss;
        try
        {
            loss = await torch.RunAsync(() => recVae is not null
                ? handle.Replica.ComputeRecVae(index, partition, request.Users, request.Step, setup.Seed, recVae, request.GlobalBatchUsers,
                    remote.Length > 0 ? push : null)
                : handle.Replica.Compute(index, partition, request.Users, request.Step, setup.Seed,
                    request.Epoch, request.Beta, request.GlobalBatchUsers, remote.Length > 0 ? push : null));
        }
        catch (RecVaePriorLostException e)
        {
            // Like a grain that lost its state: the run restarts from the checkpoint, where new replicas get their copy.
            throw GrainStateLost.Create($"Worker {this.GetPrimaryKeyString()} ({e.Message})", setup.Generation);
        }
        double computeMs = clock.Elapsed.TotalMilliseconds - fetchMs;
        await Task.WhenAll(pushes);
        metrics.WorkerStepCompleted(setup.JobId, clock.Elapsed.TotalSeconds);
        return new WorkerStepResult(true, loss.NegativeLogLikelihoodSum, loss.KlDivergenceSum, loss.UserCount, replicas.Silo,
            fetched, computeMs, fetchMs, pushed, parts);
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
