using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// Runs <see cref="TrainingLoop"/>'s updates on an <see cref="ItemShardedModel"/> in this process: the state lives in
/// the shards and the middle while training and is copied into the loop's mirror network (parameters and Adam state)
/// when the loop asks, for checkpoints and best weights. Validation and test rank by merging the shards' top items.
/// </summary>
public sealed class ItemShardedStepExecutor(AutoencoderNetwork mirror, AdamOptimizer mirrorOptimizer, DataSplit split, TrainerOptions options, int shards)
    : ITrainingStepExecutor, IDisposable
{
    private ItemShardedModel? _model;

    private ItemShardedModel Model => _model ?? throw new InvalidOperationException("The item-sharded executor was not started.");

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _model?.Dispose();
        _model = ItemShardedModel.FromNetwork(mirror, shards, options.Adam);
        _model.LoadFrom(mirror, mirrorOptimizer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<StepOutcome> StepAsync(TrainingStep step, CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        var config = Model.Config;
        var batch = SparseBatch.Create(split.Train, step.Rows, config.DropoutRate, (ulong)options.Seed, step.Epoch, mirror.Device);
        var noise = config.Kind == ModelKind.Vae
            ? GradientComputer.LatentNoise(batch.UserKeys, config.LatentDim, (ulong)options.Seed, step.Epoch).to(mirror.Device)
            : null;
        return Task.FromResult(new StepOutcome(Model.Step(batch, noise, step.Beta)));
    }

    /// <inheritdoc />
    public Task<EvaluationResult> EvaluateAsync(HeldOutSet set, IReadOnlyList<RankingMetric> metrics, CancellationToken cancellationToken) =>
        Task.FromResult(new RankingEvaluator(metrics, options.EvaluationBatchSize)
            .Evaluate(new ItemShardedScorer(Model), set == HeldOutSet.Validation ? split.Validation : split.Test));

    /// <inheritdoc />
    public Task SyncMirrorAsync(CancellationToken cancellationToken)
    {
        Model.CopyInto(mirror, mirrorOptimizer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task LoadMirrorParametersAsync(CancellationToken cancellationToken)
    {
        Model.LoadFrom(mirror);
        return Task.CompletedTask;
    }

    /// <summary>Frees the shards.</summary>
    public void Dispose() => _model?.Dispose();
}
