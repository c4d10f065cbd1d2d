using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// Runs <see cref="RecVaeLoop"/>'s updates in this process on the mirror itself: the batch's gradient
/// (<see cref="RecVaeGradient"/>) and one step of the encoder's or the decoder's Adam (both in a joint pass). The mirror
/// is the state, so syncing is free.
/// </summary>
public sealed class RecVaeLocalExecutor(RecVaeNetwork network, AdamOptimizer encoderAdam, AdamOptimizer decoderAdam, DataSplit split,
    int evaluationBatchSize = RankingEvaluator.DefaultBatchSize) : IRecVaeExecutor
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<BatchLoss> StepAsync(RecVaeStep step, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        var loss = RecVaeGradient.Accumulate(network, split.Train, step.Rows, step.Rows.Select(r => (long)r).ToArray(), step.Phase, step.Pass,
            unchecked((ulong)network.Options.Seed), step.Rows.Length);
        if (step.Phase != RecVaePhase.Decoder) encoderAdam.Step(network.Encoder.Parameters.Select(p => p.grad!).ToArray());
        if (step.Phase != RecVaePhase.Encoder) decoderAdam.Step(network.DecoderParameters.Select(p => p.grad!).ToArray());
        RecVaeGradient.ClearGradients(network);
        RecVaeGradient.Unfreeze(network);
        return Task.FromResult(loss);
    }

    /// <inheritdoc />
    public Task<EvaluationResult> EvaluateAsync(HeldOutSet set, IReadOnlyList<RankingMetric> metrics, CancellationToken cancellationToken) =>
        Task.FromResult(new RankingEvaluator(metrics, evaluationBatchSize).Evaluate(network, set == HeldOutSet.Validation ? split.Validation : split.Test));

    /// <inheritdoc />
    public Task SyncMirrorAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task LoadMirrorParametersAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
