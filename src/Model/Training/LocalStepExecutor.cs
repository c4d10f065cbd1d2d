using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// Runs <see cref="TrainingLoop"/>'s updates in this process on the mirror itself: the gradient of the whole batch
/// (<see cref="GradientComputer"/>), weight decay, one Adam step. The mirror is the state, so syncing is free.
/// </summary>
public sealed class LocalStepExecutor(AutoencoderNetwork network, AdamOptimizer optimizer, DataSplit split, TrainerOptions options)
    : ITrainingStepExecutor
{
    private readonly Tensor[] _parameters = network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<StepOutcome> StepAsync(TrainingStep step, CancellationToken cancellationToken)
    {
        GradientComputer.ClearGradients(network);
        var loss = GradientComputer.Accumulate(network, split.Train, step.Rows, (ulong)options.Seed, step.Epoch, step.Beta, step.Rows.Length);
        GradientComputer.AddWeightDecay(network);
        optimizer.Step(_parameters.Select(p => p.grad!).ToArray());
        return Task.FromResult(new StepOutcome(loss));
    }

    /// <inheritdoc />
    public Task<EvaluationResult> EvaluateAsync(HeldOutSet set, IReadOnlyList<RankingMetric> metrics, CancellationToken cancellationToken) =>
        Task.FromResult(new RankingEvaluator(metrics, options.EvaluationBatchSize)
            .Evaluate(new AutoencoderScorer(network), set == HeldOutSet.Validation ? split.Validation : split.Test));

    /// <inheritdoc />
    public Task SyncMirrorAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task LoadMirrorParametersAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
