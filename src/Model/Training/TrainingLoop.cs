using System.Diagnostics;
using TorchSharp;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// The one training loop of Mult-VAE^PR / Mult-DAE (Liang et al. 2018, Algorithm 1 and Section 4.3), driven both by
/// the single-process <see cref="Trainer"/> and by the cluster's job grain. Each epoch visits the training users in
/// the order seeded by (seed, epoch), in global batches of B users; each batch is one update with β from the
/// schedule, taken by the <see cref="ITrainingStepExecutor"/> (here or spread over silos). After each epoch it scores
/// validation NDCG@100, lets the automatic β mode observe it, keeps the best weights, and hands the epoch to the
/// host (checkpoint, log). At the end the best weights are scored on the test users.
/// </summary>
/// <param name="options">Epochs, batch size, seed, β schedule.</param>
/// <param name="executor">Where updates and evaluations run.</param>
/// <param name="host">Checkpoints, progress and the mirror's compute thread.</param>
/// <param name="testAfterStop">Score the best weights on the test users also when stopped early (the trainer does; a cancelled job does not).</param>
public sealed class TrainingLoop(TrainerOptions options, ITrainingStepExecutor executor, ITrainingLoopHost host, bool testAfterStop = true)
{
    private static readonly RankingMetric SelectionMetric = RankingMetric.Ndcg(100);

    /// <summary>
    /// Steps between reads of losses an executor keeps on its device (<see cref="StepOutcome.LossDeferred"/>), and at
    /// each epoch's end: progress and the epoch's mean loss are as of the last read.
    /// </summary>
    public const int LossReadInterval = 10;

    /// <summary>
    /// Trains <paramref name="mirror"/>'s model on <paramref name="trainingUsers"/> training rows. The mirror and
    /// <paramref name="optimizer"/> hold the starting state (after a restore) and, after every epoch and at the end,
    /// the executor's state; at the end the mirror holds the best weights.
    /// </summary>
    public Task<TrainingLoopResult> RunAsync(AutoencoderNetwork mirror, AdamOptimizer optimizer, int trainingUsers,
        CancellationToken cancellationToken = default) => RunCoreAsync(mirror, optimizer, trainingUsers, cancellationToken);

    /// <summary>
    /// Trains the model an <see cref="IStateHoldingExecutor"/> holds, with no mirror: the executor restores, checkpoints
    /// and keeps the best weights itself; at the end it holds the best weights.
    /// </summary>
    public Task<TrainingLoopResult> RunAsync(IStateHoldingExecutor holder, int trainingUsers, CancellationToken cancellationToken = default) =>
        executor == holder
            ? RunCoreAsync(null, null, trainingUsers, cancellationToken)
            : throw new ArgumentException("The state-holding executor must be the loop's executor.", nameof(holder));

    private async Task<TrainingLoopResult> RunCoreAsync(AutoencoderNetwork? mirror, AdamOptimizer? optimizer, int trainingUsers,
        CancellationToken cancellationToken)
    {
        var holder = mirror is null ? (IStateHoldingExecutor)executor : null;
        var parameters = mirror?.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray() ?? [];
        Tensor[] best = [];
        if (mirror is not null) await host.RunTensorWorkAsync(() => best = parameters.Select(p => DetachedTensor.Copy(p).DetachFromDisposeScope()).ToArray());
        try
        {
            var schedule = new BetaSchedule(options.Beta);
            TrainingState? restored = null;
            if (mirror is not null) await host.RunTensorWorkAsync(() => restored = host.Restore(mirror, optimizer!, best));
            await executor.StartAsync(cancellationToken);
            if (holder is not null) restored = holder.Restored;
            var state = restored ?? new TrainingState();
            schedule.Restore(state.FrozenBeta, state.BetaBestMetric, state.BetaAtBest, state.BetaEpochsSinceBest);
            host.Started(state, restored is not null);

            int batchSize = options.BatchSize;
            int batches = (trainingUsers + batchSize - 1) / batchSize;
            var clock = Stopwatch.StartNew();
            var before = EarlierAttempts.TimeOf(state.History);
            int epochsThisRun = 0, epochsLeft = options.Epochs - state.CompletedEpochs;
            bool completed = true, stoppedEarly = false;
            for (int epoch = state.CompletedEpochs + 1; epoch <= options.Epochs; epoch++)
            {
                if (options.StopsEarlyAt(state))
                {
                    stoppedEarly = true;
                    break;
                }
                var epochClock = Stopwatch.StartNew();
                var order = CounterRandom.Permutation(trainingUsers, (ulong)options.Seed, (ulong)epoch);
                var totals = default(BatchLoss);
                double lossSum = 0, beta = 0;
                int usersDone = 0, batchesRead = 0;
                var unreadBetas = new List<double>();
                long step = state.Step;
                for (int b = 0; b < batches; b++)
                {
                    if (cancellationToken.IsCancellationRequested) { completed = false; break; }
                    var rows = order.AsSpan(b * batchSize, Math.Min(batchSize, trainingUsers - b * batchSize)).ToArray();
                    beta = schedule.BetaAt(step);
                    var outcome = await executor.StepAsync(new TrainingStep(epoch, step, rows, beta), cancellationToken);
                    step++;
                    usersDone += rows.Length;
                    if (outcome.LossDeferred)
                    {
                        unreadBetas.Add(beta);
                    }
                    else
                    {
                        totals += outcome.Loss;
                        lossSum += outcome.Loss.Loss(beta);
                        batchesRead++;
                    }
                    if (unreadBetas.Count > 0 && (unreadBetas.Count >= LossReadInterval || b + 1 == batches))
                    {
                        var read = await executor.ReadDeferredLossesAsync(cancellationToken);
                        if (read.Count != unreadBetas.Count)
                            throw new InvalidOperationException($"The executor returned {read.Count} deferred losses for {unreadBetas.Count} steps.");
                        for (int i = 0; i < read.Count; i++)
                        {
                            totals += read[i];
                            lossSum += read[i].Loss(unreadBetas[i]);
                        }
                        batchesRead += read.Count;
                        outcome = outcome with { Loss = read[^1], LossDeferred = false };
                        unreadBetas.Clear();
                    }
                    double fraction = epochsThisRun + (b + 1.0) / batches;
                    var remaining = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / fraction * Math.Max(0, epochsLeft - fraction));
                    host.StepCompleted(new StepReport(epoch, b + 1, batches, step, batchesRead == 0 ? 0 : lossSum / batchesRead, beta, outcome,
                        usersDone / epochClock.Elapsed.TotalSeconds, before + clock.Elapsed, remaining));
                }
                if (!completed) break;
                double trainSeconds = epochClock.Elapsed.TotalSeconds;
                host.Validating(epoch);
                var metrics = host.ValidationMetrics.Contains(SelectionMetric) ? host.ValidationMetrics : [SelectionMetric, .. host.ValidationMetrics];
                var validation = await executor.EvaluateAsync(HeldOutSet.Validation, metrics, cancellationToken);
                double ndcg = validation[SelectionMetric].Mean;
                schedule.ObserveValidation(ndcg, beta);
                bool improved = ndcg > state.BestValidationNdcg100;
                if (holder is null)
                {
                    await executor.SyncMirrorAsync(cancellationToken);
                    if (improved) await host.RunTensorWorkAsync(() => CopyInto(best, parameters));
                }
                var record = new EpochRecord(epoch, step, lossSum / batches, totals.NegativeLogLikelihoodSum / totals.UserCount,
                    totals.KlDivergenceSum / totals.UserCount, beta, ndcg, trainSeconds, epochClock.Elapsed.TotalSeconds - trainSeconds,
                    totals.UserCount / trainSeconds);
                state = state with
                {
                    CompletedEpochs = epoch,
                    Step = step,
                    BestValidationNdcg100 = improved ? ndcg : state.BestValidationNdcg100,
                    BestEpoch = improved ? epoch : state.BestEpoch,
                    FrozenBeta = schedule.FrozenBeta,
                    BetaBestMetric = schedule.BestMetric,
                    BetaAtBest = schedule.BetaAtBest,
                    BetaEpochsSinceBest = schedule.EpochsSinceBest,
                    History = [.. state.History, record],
                };
                epochsThisRun++;
                var finished = state;
                if (holder is not null) await holder.SaveAsync(finished, improved, cancellationToken);
                await host.RunTensorWorkAsync(() => host.EpochCompleted(record, finished, validation, mirror, optimizer, mirror is null ? null : best));
            }

            double chosenBeta = schedule.ChosenBeta(state.Step);
            if (!completed && !testAfterStop) return new TrainingLoopResult(state, null, chosenBeta, completed, stoppedEarly, before);
            host.Testing();
            if (holder is not null)
            {
                await holder.UseBestAsync(cancellationToken);
            }
            else
            {
                await host.RunTensorWorkAsync(() => CopyInto(parameters, best));
                await executor.LoadMirrorParametersAsync(cancellationToken);
            }
            var test = await executor.EvaluateAsync(HeldOutSet.Test, RankingMetric.PaperMetrics, cancellationToken);
            return new TrainingLoopResult(state, test, chosenBeta, completed, stoppedEarly, before);
        }
        finally
        {
            var owned = best;
            await host.RunTensorWorkAsync(() => { foreach (var t in owned) t.Dispose(); });
        }
    }

    private static void CopyInto(IReadOnlyList<Tensor> targets, IReadOnlyList<Tensor> sources)
    {
        using var noGrad = torch.no_grad();
        for (int i = 0; i < targets.Count; i++) targets[i].copy_(sources[i]);
    }
}
