using System.Security.Cryptography;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// Trains a <see cref="RecVaeNetwork"/> in this process as the RecVAE paper and its reference code do: two Adam
/// optimizers (encoder, decoder); each epoch, with <see cref="RecVaeOptions.Alternating"/>, runs encoder passes on
/// dropped-out input, refreshes the prior's copy of the encoder, then decoder passes on the un-dropped input; after each
/// epoch validation NDCG@100 is measured and the best epoch's weights are kept, then scored on the test users. The loop
/// is <see cref="RecVaeLoop"/>, the one a cluster job runs; here its updates run on the network itself
/// (<see cref="RecVaeLocalExecutor"/>).
/// </summary>
/// <remarks>
/// Every random draw is counter-based: a pass's user order from (seed, pass), a user's dropout mask and latent noise
/// from (seed, pass, user), where passes are numbered across epochs. So a run repeats exactly, however users are
/// batched or spread over workers; a run resumed from its checkpoint continues exactly.
/// </remarks>
/// <param name="options">The settings.</param>
/// <param name="device">Where the network, batches and optimizer state live (the CPU by default). Runs start from the same
/// weights on every device; float sums may differ in the last bits.</param>
public sealed class RecVaeTrainer(RecVaeOptions options, TorchSharp.torch.Device? device = null)
{
    /// <summary>The settings.</summary>
    public RecVaeOptions Options { get; } = options;

    /// <summary>Trains on <paramref name="split"/>'s training users, picks the epoch by validation NDCG@100, evaluates it on the test users.</summary>
    /// <param name="split">The data.</param>
    /// <param name="log">Optional progress, one line per epoch.</param>
    /// <param name="cancellation">Stops within the current batch with <see cref="OperationCanceledException"/>; the checkpoint keeps the last finished epoch.</param>
    /// <param name="checkpointPath">Where the state is written after every epoch and, when the file exists, resumed from; null for none.</param>
    public RecVaeTrainingResult Train(DataSplit split, Action<string>? log = null, CancellationToken cancellation = default, string? checkpointPath = null)
    {
        Options.Validate();
        var network = new RecVaeNetwork(split.ItemCount, Options, Options.Seed, device);
        try
        {
            using var encoderAdam = NewEncoderAdam(network, Options);
            using var decoderAdam = NewDecoderAdam(network, Options);
            string dataSha = checkpointPath is null ? "" : DataSha256(split);
            var host = new Host(Options, split.ItemCount, dataSha, checkpointPath, log);
            var executor = new RecVaeLocalExecutor(network, encoderAdam, decoderAdam, split);
            var result = new RecVaeLoop(Options, executor, host).RunAsync(network, encoderAdam, decoderAdam, split.Train.RowCount, cancellation)
                .GetAwaiter().GetResult();
            return new RecVaeTrainingResult(network, result.State.BestEpoch, result.State.BestValidationNdcg100, result.State.History, result.Test,
                result.TrainingSeconds, result.TimeBeforeResume);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The encoder's Adam (RecVAE's step size, no weight decay).</summary>
    public static AdamOptimizer NewEncoderAdam(RecVaeNetwork network, RecVaeOptions options) =>
        new(network.Encoder.Parameters.ToArray<Tensor>(), new AdamOptions { LearningRate = options.LearningRate });

    /// <summary>The decoder's Adam.</summary>
    public static AdamOptimizer NewDecoderAdam(RecVaeNetwork network, RecVaeOptions options) =>
        new(network.DecoderParameters.ToArray<Tensor>(), new AdamOptions { LearningRate = options.LearningRate });

    /// <summary>The checksum a checkpoint records of the data it was trained on.</summary>
    public static string DataSha256(DataSplit split) => Convert.ToHexStringLower(SHA256.HashData(SplitSerializer.Serialize(split)));

    /// <summary>The log line of a finished epoch.</summary>
    public static string EpochLine(RecVaeEpoch record, RecVaeLoopState state, int epochs) => FormattableString.Invariant(
        $"epoch {record.Epoch}/{epochs}: loss {record.Loss:F2}, validation NDCG@100 {record.ValidationNdcg100:F4} (best {state.BestValidationNdcg100:F4} at epoch {state.BestEpoch}), {record.Seconds:F1} s");

    /// <summary>The single-process side of the loop: the checkpoint file and the log.</summary>
    private sealed class Host(RecVaeOptions options, int itemCount, string dataSha, string? checkpointPath, Action<string>? log) : IRecVaeLoopHost
    {
        public Task RunTensorWorkAsync(Action work)
        {
            work();
            return Task.CompletedTask;
        }

        public (RecVaeLoopState State, Tensor[] Best)? Restore(RecVaeNetwork mirror, AdamOptimizer encoderAdam, AdamOptimizer decoderAdam)
        {
            if (checkpointPath is null || !File.Exists(checkpointPath)) return null;
            var (header, best) = RecVaeCheckpoint.Restore(checkpointPath, options, itemCount, dataSha, mirror, encoderAdam, decoderAdam);
            log?.Invoke(FormattableString.Invariant(
                $"resuming after epoch {header.Epoch} (best validation NDCG@100 {header.BestValidationNdcg100:F4} at epoch {header.BestEpoch})"));
            return (RecVaeCheckpoint.StateOf(header), best);
        }

        public void EpochCompleted(RecVaeEpoch record, RecVaeLoopState state, EvaluationResult validation, RecVaeNetwork mirror,
            AdamOptimizer encoderAdam, AdamOptimizer decoderAdam, IReadOnlyList<Tensor> best)
        {
            if (checkpointPath is not null) RecVaeCheckpoint.Save(checkpointPath, options, itemCount, dataSha, state, mirror, encoderAdam, decoderAdam, best);
            log?.Invoke(EpochLine(record, state, options.Epochs));
        }

        public void StoppedEarly(RecVaeLoopState state) =>
            log?.Invoke($"stopping: validation NDCG@100 has not improved for {options.Patience} epochs");
    }
}
