using System.Diagnostics;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// The one training loop of RecVAE, driven both by the single-process <see cref="RecVaeTrainer"/> and by the cluster's
/// job grain. Each epoch, with <see cref="RecVaeOptions.Alternating"/>, runs encoder passes, refreshes the prior's copy
/// of the encoder, then decoder passes (otherwise one joint pass, then the refresh); a pass visits the training users
/// in the order of (seed, pass) in batches, each one update taken by the <see cref="IRecVaeExecutor"/> (here or spread
/// over silos). After each epoch it scores validation NDCG@100, keeps the best weights and hands the epoch to the host
/// (checkpoint, log); with <see cref="RecVaeOptions.Patience"/> it stops when that many epochs bring nothing better. At
/// the end the best weights are scored on the test users.
/// </summary>
public sealed class RecVaeLoop(RecVaeOptions options, IRecVaeExecutor executor, IRecVaeLoopHost host)
{
    private static readonly RankingMetric Selection = RankingMetric.Ndcg(100);

    /// <summary>
    /// Trains <paramref name="mirror"/>'s model on <paramref name="trainingUsers"/> training rows. The mirror and the
    /// optimizers hold the starting state (after a restore) and, after every epoch, the executor's; at the end the
    /// mirror holds the best weights. Cancellation stops before the next update with <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<RecVaeLoopResult> RunAsync(RecVaeNetwork mirror, AdamOptimizer encoderAdam, AdamOptimizer decoderAdam, int trainingUsers,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        Tensor[]? best = null;
        try
        {
            var state = RecVaeLoopState.Fresh;
            bool resumed = false;
            await host.RunTensorWorkAsync(() =>
            {
                if (host.Restore(mirror, encoderAdam, decoderAdam) is not { } restored) return;
                (state, best, resumed) = (restored.State, restored.Best, true);
            });
            await executor.StartAsync(cancellationToken);
            host.Started(state, resumed);
            var before = Training.EarlierAttempts.TimeOf(state.History);

            int batchesPerPass = (trainingUsers + options.BatchSize - 1) / options.BatchSize;
            int passesPerEpoch = options.Alternating ? options.EncoderEpochs + options.DecoderEpochs : 1;
            int epochsLeft = options.Epochs - state.Epoch, epochsThisRun = 0;
            bool stoppedEarly = false;
            var metrics = host.ValidationMetrics.Contains(Selection) ? host.ValidationMetrics : [Selection, .. host.ValidationMetrics];
            for (int epoch = state.Epoch + 1; epoch <= options.Epochs; epoch++)
            {
                if (StopsEarly(state, epoch - 1))
                {
                    stoppedEarly = true;
                    break;
                }
                var epochClock = Stopwatch.StartNew();
                long pass = state.Pass;
                int batch = 0;
                async Task<double> RunPass(RecVaePhase phase, bool firstOfEpoch)
                {
                    var order = CounterRandom.Permutation(trainingUsers, unchecked((ulong)options.Seed), (ulong)++pass);
                    double total = 0;
                    int batches = 0, users = 0;
                    for (int first = 0; first < order.Length; first += options.BatchSize)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var rows = order.AsSpan(first, Math.Min(options.BatchSize, order.Length - first)).ToArray();
                        var loss = await executor.StepAsync(new RecVaeStep(pass, rows, phase, epoch - 1, firstOfEpoch && first == 0), cancellationToken);
                        double mean = loss.Loss(1);
                        total += mean;
                        batches++;
                        users += rows.Length;
                        batch++;
                        double fraction = epochsThisRun + (double)batch / (batchesPerPass * passesPerEpoch);
                        var remaining = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / fraction * Math.Max(0, epochsLeft - fraction));
                        host.StepCompleted(new RecVaeProgress(epoch, batch, batchesPerPass * passesPerEpoch, phase, mean,
                            users / Math.Max(1e-9, epochClock.Elapsed.TotalSeconds), before + clock.Elapsed, remaining));
                    }
                    return total / Math.Max(1, batches);
                }

                double epochLoss;
                if (options.Alternating)
                {
                    double sum = 0;
                    for (int p = 0; p < options.EncoderEpochs; p++) sum += await RunPass(RecVaePhase.Encoder, p == 0);
                    epochLoss = sum / options.EncoderEpochs;
                    // In this process the mirror is the network, so this is the refresh; on a cluster the workers refresh
                    // their own copies and the mirror's is set again below, once it holds the trained encoder.
                    await host.RunTensorWorkAsync(mirror.RefreshPrior);
                    for (int p = 0; p < options.DecoderEpochs; p++) await RunPass(RecVaePhase.Decoder, false);
                }
                else
                {
                    epochLoss = await RunPass(RecVaePhase.Joint, true);
                }
                await executor.SyncMirrorAsync(cancellationToken);
                await host.RunTensorWorkAsync(mirror.RefreshPrior);
                var validation = await executor.EvaluateAsync(HeldOutSet.Validation, metrics, cancellationToken);
                double ndcg = validation[Selection].Mean;
                bool improved = ndcg > state.BestValidationNdcg100;
                if (improved)
                    await host.RunTensorWorkAsync(() =>
                    {
                        if (best is not null) foreach (var t in best) t.Dispose();
                        best = mirror.Snapshot();
                    });
                var record = new RecVaeEpoch(epoch, epochLoss, ndcg, epochClock.Elapsed.TotalSeconds);
                state = new RecVaeLoopState(epoch, pass, improved ? epoch : state.BestEpoch, improved ? ndcg : state.BestValidationNdcg100,
                    [.. state.History, record]);
                epochsThisRun++;
                var finished = state;
                await host.RunTensorWorkAsync(() => host.EpochCompleted(record, finished, validation, mirror, encoderAdam, decoderAdam, best!));
                if (StopsEarly(state, epoch))
                {
                    stoppedEarly = epoch < options.Epochs;
                    if (stoppedEarly) host.StoppedEarly(state);
                    break;
                }
            }
            if (best is null) throw new InvalidOperationException("RecVAE finished no epoch.");
            double seconds = (before + clock.Elapsed).TotalSeconds;
            host.Testing();
            await host.RunTensorWorkAsync(() => mirror.Restore(best));
            await executor.LoadMirrorParametersAsync(cancellationToken);
            var test = await executor.EvaluateAsync(HeldOutSet.Test, RankingMetric.PaperMetrics, cancellationToken);
            return new RecVaeLoopResult(state, test, seconds, stoppedEarly, before);
        }
        finally
        {
            var owned = best;
            if (owned is not null) await host.RunTensorWorkAsync(() => { foreach (var t in owned) t.Dispose(); });
        }
    }

    /// <summary>Whether <paramref name="state"/>, after <paramref name="epoch"/> epochs, has gone <see cref="RecVaeOptions.Patience"/> epochs without a better one.</summary>
    private bool StopsEarly(RecVaeLoopState state, int epoch) =>
        options.Patience > 0 && state.BestEpoch > 0 && epoch - state.BestEpoch >= options.Patience;
}
