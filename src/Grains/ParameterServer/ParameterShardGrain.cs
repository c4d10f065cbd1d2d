using System.Diagnostics;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Placement;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Grains.ParameterServer;

/// <summary>
/// Holds one shard of a job's parameters and Adam state (<see cref="ParameterShard"/>), collects the step's gradient
/// chunks and applies them in (worker, chunk) order, so the update does not depend on arrival order.
/// </summary>
[SpreadPlacement]
public sealed class ParameterShardGrain(TorchRuntime torch, VaeCfMetrics metrics) : Grain, IParameterShardGrain
{
    private ParameterShard? _shard;
    private int _generation;
    private long _pendingStep = -1;
    private readonly List<GradientChunk> _pending = [];

    /// <inheritdoc />
    public Task InitializeAsync(ShardSetup setup)
    {
        _shard?.Dispose();
        var adam = new AdamOptions { LearningRate = setup.LearningRate, Beta1 = setup.Beta1, Beta2 = setup.Beta2, Epsilon = setup.Epsilon };
        _shard = new ParameterShard(setup.Length, setup.WeightRanges, adam, setup.WeightDecay);
        _shard.SetStepCount(setup.StepCount);
        _generation = setup.Generation;
        _pending.Clear();
        _pendingStep = -1;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<long> WriteStateAsync(ShardStateChunk chunk)
    {
        var shard = Require(chunk.Generation);
        shard.Write((ShardVector)chunk.Kind, chunk.Offset, chunk.Values);
        if (chunk.Kind != ShardStateKind.Parameters && chunk.StepCount >= 0) shard.SetStepCount(chunk.StepCount);
        return Task.FromResult(shard.Version);
    }

    /// <inheritdoc />
    public Task<ShardStateChunk> ReadStateAsync(int generation, ShardStateKind kind, long offset, int count)
    {
        var shard = Require(generation);
        return Task.FromResult(new ShardStateChunk(generation, kind, offset, shard.Read((ShardVector)kind, offset, count), shard.Version, shard.StepCount));
    }

    /// <inheritdoc />
    public Task PushGradientAsync(GradientChunk chunk)
    {
        Require(chunk.Generation);
        if (chunk.Step != _pendingStep)
        {
            _pending.Clear();
            _pendingStep = chunk.Step;
        }
        _pending.Add(chunk);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ShardApplyResult> ApplyAsync(int generation, long step, int workers)
    {
        var shard = Require(generation);
        var chunks = _pendingStep == step ? _pending.OrderBy(c => c.Worker).ThenBy(c => c.Index).ToArray() : [];
        int senders = chunks.Select(c => c.Worker).Distinct().Count();
        if (senders > workers)
            throw new InvalidOperationException($"Step {step}: gradients from {senders} workers, expected at most {workers}.");
        var clock = Stopwatch.StartNew();
        await torch.RunAsync(() =>
        {
            foreach (var c in chunks) shard.AddGradient(c.SegmentStarts, c.SegmentLengths, c.Values, c.Bf16);
            shard.Apply();
        });
        _pending.Clear();
        _pendingStep = -1;
        string key = this.GetPrimaryKeyString();
        metrics.ShardApplied(key[..Math.Max(0, key.LastIndexOf('/'))], clock.Elapsed.TotalSeconds);
        return new ShardApplyResult(shard.Version, shard.StepCount, clock.Elapsed.TotalMilliseconds);
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _shard?.Dispose();
        return Task.CompletedTask;
    }

    private ParameterShard Require(int generation) =>
        _shard is not null && generation == _generation ? _shard
            : throw new InvalidOperationException($"Parameter shard {this.GetPrimaryKeyString()} is not set up for job generation {generation}.");
}
