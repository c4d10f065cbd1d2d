using System.Diagnostics;
using System.Security.Cryptography;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// Trains a <see cref="RecVaeNetwork"/> in this process as the RecVAE paper and its reference code do: two Adam
/// optimizers (encoder, decoder); each epoch, with <see cref="RecVaeOptions.Alternating"/>, runs encoder passes on
/// dropped-out input, refreshes the prior's copy of the encoder, then decoder passes on the un-dropped input; after each
/// epoch validation NDCG@100 is measured and the best epoch's weights are kept, then scored on the test users.
/// </summary>
/// <remarks>
/// Every random draw is counter-based: a pass's user order from (seed, pass), a user's dropout mask and latent noise
/// from (seed, pass, user), where passes are numbered across epochs. So a run repeats exactly, however users are
/// batched; a run resumed from its checkpoint continues exactly. RecVAE trains in one process; the cluster runs Mult-VAE
/// and Mult-DAE.
/// </remarks>
public sealed class RecVaeTrainer(RecVaeOptions options)
{
    private static readonly RankingMetric Selection = RankingMetric.Ndcg(100);

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
        var clock = Stopwatch.StartNew();
        var network = new RecVaeNetwork(split.ItemCount, Options, Options.Seed);
        Tensor[]? best = null;
        try
        {
            using var encoderAdam = new AdamOptimizer(network.Encoder.Parameters.ToArray<Tensor>(), new AdamOptions { LearningRate = Options.LearningRate });
            using var decoderAdam = new AdamOptimizer(network.DecoderParameters.ToArray<Tensor>(), new AdamOptions { LearningRate = Options.LearningRate });
            var validator = new RankingEvaluator([Selection]);
            var history = new List<RecVaeEpoch>();
            int bestEpoch = 0, firstEpoch = 1;
            double bestNdcg = double.NegativeInfinity;
            long pass = 0;
            string dataSha = checkpointPath is null ? "" : Convert.ToHexStringLower(SHA256.HashData(SplitSerializer.Serialize(split)));
            if (checkpointPath is not null && File.Exists(checkpointPath))
            {
                var (header, saved) = RecVaeCheckpoint.Restore(checkpointPath, Options, split.ItemCount, dataSha, network, encoderAdam, decoderAdam);
                best = saved;
                history.AddRange(header.History);
                (bestEpoch, bestNdcg, pass, firstEpoch) = (header.BestEpoch, header.BestValidationNdcg100, header.Pass, header.Epoch + 1);
                log?.Invoke(FormattableString.Invariant($"resuming after epoch {header.Epoch} (best validation NDCG@100 {bestNdcg:F4} at epoch {bestEpoch})"));
            }
            for (int epoch = firstEpoch; epoch <= Options.Epochs; epoch++)
            {
                if (Options.Patience > 0 && bestEpoch > 0 && epoch - 1 - bestEpoch >= Options.Patience) break;
                var epochClock = Stopwatch.StartNew();
                double loss;
                if (Options.Alternating)
                {
                    double sum = 0;
                    for (int p = 0; p < Options.EncoderEpochs; p++)
                        sum += RunPass(network, split.Train, encoderAdam, null, Options.DropoutRate, ++pass, withKl: true, cancellation);
                    loss = sum / Options.EncoderEpochs;
                    network.RefreshPrior();
                    for (int p = 0; p < Options.DecoderEpochs; p++)
                        RunPass(network, split.Train, null, decoderAdam, 0, ++pass, withKl: false, cancellation);
                }
                else
                {
                    loss = RunPass(network, split.Train, encoderAdam, decoderAdam, Options.DropoutRate, ++pass, withKl: true, cancellation);
                    network.RefreshPrior();
                }
                double ndcg = validator.Evaluate(network, split.Validation)[Selection].Mean;
                history.Add(new RecVaeEpoch(epoch, loss, ndcg, epochClock.Elapsed.TotalSeconds));
                if (ndcg > bestNdcg)
                {
                    bestNdcg = ndcg;
                    bestEpoch = epoch;
                    if (best is not null) foreach (var t in best) t.Dispose();
                    best = network.Snapshot();
                }
                if (checkpointPath is not null)
                    RecVaeCheckpoint.Save(checkpointPath, new RecVaeCheckpoint.Header("", RecVaeCheckpoint.Settings(Options), split.ItemCount, dataSha, epoch,
                        pass, bestEpoch, bestNdcg, history, encoderAdam.StepCount, decoderAdam.StepCount), network, encoderAdam, decoderAdam, best!);
                log?.Invoke(FormattableString.Invariant(
                    $"epoch {epoch}/{Options.Epochs}: loss {loss:F2}, validation NDCG@100 {ndcg:F4} (best {bestNdcg:F4} at epoch {bestEpoch}), {epochClock.Elapsed.TotalSeconds:F1} s"));
                if (Options.Patience > 0 && epoch - bestEpoch >= Options.Patience)
                {
                    log?.Invoke($"stopping: validation NDCG@100 has not improved for {Options.Patience} epochs");
                    break;
                }
            }
            if (best is null) throw new InvalidOperationException("RecVAE finished no epoch.");
            network.Restore(best);
            double seconds = clock.Elapsed.TotalSeconds;
            var test = new RankingEvaluator().Evaluate(network, split.Test);
            return new RecVaeTrainingResult(network, bestEpoch, bestNdcg, history, test, seconds);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        finally
        {
            if (best is not null) foreach (var t in best) t.Dispose();
        }
    }

    /// <summary>
    /// One pass over the training users in the order of (seed, <paramref name="pass"/>): each batch's loss is
    /// back-propagated and stepped by the given optimizers (the other side's parameters are frozen). Returns the mean loss.
    /// </summary>
    internal double RunPass(RecVaeNetwork network, ClickMatrix train, AdamOptimizer? encoderAdam, AdamOptimizer? decoderAdam,
        double dropoutRate, long pass, bool withKl, CancellationToken cancellation = default)
    {
        ulong seed = unchecked((ulong)Options.Seed);
        var order = CounterRandom.Permutation(train.RowCount, seed, (ulong)pass);
        SetTrainable(network.Encoder.Parameters, encoderAdam is not null);
        SetTrainable(network.DecoderParameters, decoderAdam is not null);
        double total = 0;
        int batches = 0;
        for (int first = 0; first < order.Length; first += Options.BatchSize)
        {
            if (cancellation.IsCancellationRequested)
            {
                SetTrainable(network.Parameters, true);
                cancellation.ThrowIfCancellationRequested();
            }
            using var scope = NewDisposeScope();
            var rows = order.AsSpan(first, Math.Min(Options.BatchSize, order.Length - first));
            var input = SparseBatch.Create(train, rows, dropoutRate, seed, pass);
            // The un-dropped batch feeds only the composite prior's frozen encoder (click counts are the same in both).
            var clean = dropoutRate > 0 && withKl && network.PriorParameters.Count > 0 ? SparseBatch.Create(train, rows, 0, seed, pass) : input;
            var noise = GradientComputer.LatentNoise(input.UserKeys, Options.Latent, seed, pass);
            var (loss, _, _) = network.Loss(input, clean, noise, withKl);
            foreach (var p in network.Parameters) p.grad = null;
            loss.backward();
            if (encoderAdam is not null) encoderAdam.Step(network.Encoder.Parameters.Select(p => p.grad!).ToArray());
            if (decoderAdam is not null) decoderAdam.Step(network.DecoderParameters.Select(p => p.grad!).ToArray());
            total += loss.item<float>();
            batches++;
        }
        foreach (var p in network.Parameters) p.grad = null;
        SetTrainable(network.Parameters, true);
        return total / Math.Max(1, batches);
    }

    private static void SetTrainable(IEnumerable<TorchSharp.Modules.Parameter> parameters, bool trainable)
    {
        foreach (var p in parameters) p.requires_grad = trainable;
    }
}
