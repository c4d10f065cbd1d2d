using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// Runs <see cref="TrainingLoop"/>'s updates on an <see cref="ItemShardedModel"/> in this process, sharded in place over
/// the loop's mirror network and optimizer (<see cref="ItemShardedModel.Over"/>): shards update views of the mirror's
/// parameters and moments, so checkpoints and best weights need no copies and memory is the unsharded trainer's.
/// Validation and test rank by merging the shards' top items.
/// </summary>
public sealed class ItemShardedStepExecutor(AutoencoderNetwork mirror, AdamOptimizer mirrorOptimizer, DataSplit split, TrainerOptions options, int shards)
    : ITrainingStepExecutor, IDisposable
{
    private ItemShardedModel? _model;
    private ItemShardClicks[]? _clicks;

    private ItemShardedModel Model => _model ?? throw new InvalidOperationException("The item-sharded executor was not started.");

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _model?.Dispose();
        _model = ItemShardedModel.Over(mirror, mirrorOptimizer, shards);
        // The training clicks are bucketed by item range once; each step's shard parts are built from the buckets.
        _clicks ??= ItemShardClicks.Bucket(split.Train, _model.Shards.Select(s => s.Range).ToArray());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<StepOutcome> StepAsync(TrainingStep step, CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        var config = Model.Config;
        var parts = _clicks!.Select(c => ItemShardBatch.Create(c, step.Rows, config.DropoutRate, (ulong)options.Seed, step.Epoch, mirror.Device)).ToArray();
        var keys = step.Rows.Select(r => (long)r).ToArray();
        var noise = config.Kind == ModelKind.Vae
            ? GradientComputer.LatentNoise(keys, config.LatentDim, (ulong)options.Seed, step.Epoch).to(mirror.Device)
            : null;
        return Task.FromResult(new StepOutcome(Model.Step(parts, noise, step.Beta)));
    }

    /// <inheritdoc />
    public Task<EvaluationResult> EvaluateAsync(HeldOutSet set, IReadOnlyList<RankingMetric> metrics, CancellationToken cancellationToken) =>
        Task.FromResult(new RankingEvaluator(metrics, options.EvaluationBatchSize)
            .Evaluate(new ItemShardedScorer(Model), set == HeldOutSet.Validation ? split.Validation : split.Test));

    /// <inheritdoc />
    public Task SyncMirrorAsync(CancellationToken cancellationToken)
    {
        // The mirror's parameters and moments are the shards' own storage: only the step count is kept apart.
        mirrorOptimizer.SetStepCount(Model.StepCount);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task LoadMirrorParametersAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Frees the shards.</summary>
    public void Dispose() => _model?.Dispose();
}
