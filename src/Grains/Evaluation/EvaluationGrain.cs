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
/// Scores its range of a job's held-out users with the model at the requested shard versions
/// (<see cref="RankingEvaluator.EvaluateRange"/>), on a pool thread.
/// </summary>
[SpreadPlacement]
public sealed class EvaluationGrain(TorchRuntime torch, VaeCfMetrics telemetry) : Grain, IEvaluationGrain
{
    private WorkerSetup? _setup;
    private ParameterReplica? _replica;
    private readonly Dictionary<string, (int Start, HeldOutUsers Users)> _sets = [];
    private readonly Dictionary<string, ChunkAssembler> _uploads = [];

    /// <inheritdoc />
    public async Task PrepareAsync(WorkerSetup setup)
    {
        _replica?.Dispose();
        _sets.Clear();
        _uploads.Clear();
        _setup = setup;
        _replica = await torch.CreateReplicaAsync(setup);
    }

    /// <inheritdoc />
    public Task LoadUsersAsync(HeldOutChunk chunk)
    {
        if (_setup is null || chunk.Generation != _setup.Generation)
            throw new InvalidOperationException("The evaluator must be prepared for this job generation before it gets users.");
        if (!_uploads.TryGetValue(chunk.Set, out var upload)) _uploads[chunk.Set] = upload = new ChunkAssembler();
        if (upload.Add(chunk.Index, chunk.Count, chunk.Bytes) is { } bytes)
            _sets[chunk.Set] = (chunk.Start, HeldOutRange.Deserialize(bytes, chunk.Start));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<RangeMetricsData?> EvaluateAsync(EvaluationRequest request)
    {
        if (_setup is not { } setup || _replica is not { } replica || setup.Generation != request.Generation
            || !_sets.TryGetValue(request.Set, out var set))
            return null;
        var clock = Stopwatch.StartNew();
        await ReplicaFetcher.RefreshAsync(GrainFactory, setup.JobId, setup.Generation, replica, request.ShardVersions, setup.MaxChunkBytes);
        var metrics = request.Metrics.Select(RankingMetric.Parse).ToArray();
        var range = await torch.RunAsync(() => new RankingEvaluator(metrics, request.BatchSize)
            .EvaluateRange(new AutoencoderScorer(replica.Network), set.Users, 0, set.Users.UserCount));
        telemetry.EvaluationCompleted(setup.JobId, clock.Elapsed.TotalSeconds);
        return new RangeMetricsData(set.Start, metrics.Select(m => m.Name).ToArray(), range.FoldInCounts.ToArray(),
            range.HeldOutCounts.ToArray(), metrics.Select(m => range.Values(m).ToArray()).ToArray(), clock.Elapsed.TotalSeconds);
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _replica?.Dispose();
        return Task.CompletedTask;
    }
}
