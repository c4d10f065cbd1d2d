using VaeCfCluster.Grains.Jobs;
using System.Diagnostics;
using VaeCfCluster.Grains.Abstractions.Evaluation;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Placement;
using VaeCfCluster.Grains.Workers;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Grains.Evaluation;

/// <summary>
/// Scores its range of a job's held-out users (<see cref="RankingEvaluator.EvaluateRange"/>) with its silo's replica of
/// the model, brought up to the requested shard versions, on the silo's compute thread.
/// </summary>
[SpreadPlacement]
public sealed class EvaluationGrain(TorchRuntime torch, JobReplicaRegistry replicas, VaeCfMetrics telemetry) : Grain, IEvaluationGrain
{
    private WorkerSetup? _setup;
    private readonly Dictionary<string, (int Start, HeldOutUsers Users)> _sets = [];
    private readonly Dictionary<string, ChunkAssembler> _uploads = [];
    private readonly NeighbourTargetsLoader _neighbours = new();

    /// <inheritdoc />
    public async Task PrepareAsync(WorkerSetup setup)
    {
        _sets.Clear();
        _uploads.Clear();
        _setup = setup;
        _neighbours.Reset();
        await replicas.GetOrCreateAsync(setup);
    }

    /// <inheritdoc />
    public Task LoadUsersAsync(HeldOutChunk chunk)
    {
        if (_setup is null || chunk.Generation != _setup.Generation)
            throw GrainStateLost.Create($"Evaluator {this.GetPrimaryKeyString()}", chunk.Generation);
        if (!_uploads.TryGetValue(chunk.Set, out var upload)) _uploads[chunk.Set] = upload = new ChunkAssembler();
        if (upload.Add(chunk.Index, chunk.Count, chunk.Bytes) is { } bytes)
            _sets[chunk.Set] = (chunk.Start, HeldOutRange.Deserialize(bytes, chunk.Start));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task LoadNeighboursAsync(NeighbourChunk chunk) =>
        _neighbours.AddAsync(chunk, _setup, $"Evaluator {this.GetPrimaryKeyString()}", torch, replicas);

    /// <inheritdoc />
    public Task<bool> NeedsNeighboursAsync(int generation) =>
        _neighbours.NeedsAsync(generation, _setup, $"Evaluator {this.GetPrimaryKeyString()}", torch, replicas);

    /// <inheritdoc />
    public async Task<RangeMetricsData?> EvaluateAsync(EvaluationRequest request)
    {
        if (_setup is not { } setup || !_neighbours.Ready(setup) || setup.Generation != request.Generation || !_sets.TryGetValue(request.Set, out var set)
            || await replicas.GetAsync(setup.JobId, setup.Generation) is not { } handle)
            return null;
        var clock = Stopwatch.StartNew();
        await ReplicaFetcher.RefreshAsync(GrainFactory, torch, setup.JobId, setup.Generation, handle, request.ShardVersions, setup.MaxChunkBytes, setup.CompressGradients);
        var replica = handle.Replica;
        var metrics = request.Metrics.Select(RankingMetric.Parse).ToArray();
        var range = await torch.RunAsync(() => new RankingEvaluator(metrics, request.BatchSize)
            .EvaluateRange(replica.Scorer, set.Users, 0, set.Users.UserCount));
        telemetry.EvaluationCompleted(setup.JobId, clock.Elapsed.TotalSeconds);
        return new RangeMetricsData(set.Start, metrics.Select(m => m.Name).ToArray(), range.FoldInCounts.ToArray(),
            range.HeldOutCounts.ToArray(), metrics.Select(m => range.Values(m).ToArray()).ToArray(), clock.Elapsed.TotalSeconds);
    }
}
