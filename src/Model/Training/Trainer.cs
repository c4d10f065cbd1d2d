using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// Single-process training of Mult-VAE^PR / Mult-DAE (Liang et al. 2018, Algorithm 1 and Section 4.3): each epoch
/// visits the training users in a seeded order in batches, takes one Adam step per batch with β from the schedule,
/// then scores validation users by NDCG@100 and keeps the best weights; at the end the best model is scored on the
/// test users. With a checkpoint path it writes a resumable checkpoint after every epoch and, when resuming,
/// continues bit for bit.
/// </summary>
public sealed class Trainer(TrainerOptions options)
{
    private static readonly RankingMetric SelectionMetric = RankingMetric.Ndcg(100);
    private readonly TrainerOptions _options = Validated(options);

    /// <summary>The settings.</summary>
    public TrainerOptions Options => _options;

    /// <summary>Trains on <paramref name="split"/> and evaluates the best model on its test users.</summary>
    public TrainingResult Train(DataSplit split, AutoencoderConfig config, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (config.ItemCount != split.ItemCount)
            throw new ArgumentException($"Model has {config.ItemCount} items but the split has {split.ItemCount}.");
        if (_options.Threads > 0) torch.set_num_threads(_options.Threads);

        var network = new AutoencoderNetwork(config, _options.Seed, TorchDevices.Resolve(_options.Device));
        var parameters = network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();
        using var optimizer = new AdamOptimizer(parameters, _options.Adam);
        var best = parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        var schedule = new BetaSchedule(_options.Beta);
        var state = new TrainingState();
        if (_options.CheckpointPath is { } checkpointPath && _options.Resume && File.Exists(checkpointPath))
        {
            state = TrainingCheckpoint.Restore(checkpointPath, network, optimizer, _options, split.ItemIds, best);
            schedule.Restore(state.FrozenBeta, state.BetaBestMetric, state.BetaAtBest, state.BetaEpochsSinceBest);
        }

        var evaluator = new RankingEvaluator([SelectionMetric], _options.EvaluationBatchSize);
        var history = new List<EpochRecord>(state.History);
        var train = split.Train;
        int batches = (train.RowCount + _options.BatchSize - 1) / _options.BatchSize;
        var clock = Stopwatch.StartNew();
        int epochsThisRun = 0;
        bool completed = true;
        for (int epoch = state.CompletedEpochs + 1; epoch <= _options.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            var order = CounterRandom.Permutation(train.RowCount, (ulong)_options.Seed, (ulong)epoch);
            var totals = default(BatchLoss);
            double lossSum = 0, beta = 0;
            long step = state.Step;
            for (int b = 0; b < batches; b++)
            {
                if (cancellationToken.IsCancellationRequested) { completed = false; break; }
                var rows = order.AsSpan(b * _options.BatchSize, Math.Min(_options.BatchSize, train.RowCount - b * _options.BatchSize));
                beta = schedule.BetaAt(step);
                GradientComputer.ClearGradients(network);
                var loss = GradientComputer.Accumulate(network, train, rows, (ulong)_options.Seed, epoch, beta, rows.Length);
                GradientComputer.AddWeightDecay(network);
                optimizer.Step(parameters.Select(p => p.grad!).ToArray());
                step++;
                totals += loss;
                lossSum += loss.Loss(beta);
                if (progress is not null && (b % 10 == 9 || b == batches - 1))
                    progress.Report(Progress(epoch, b + 1, batches, step, lossSum / (b + 1), beta, history, state, clock, epochsThisRun, epochClock));
            }
            if (!completed) break;
            double trainSeconds = epochClock.Elapsed.TotalSeconds;
            double ndcg = evaluator.Evaluate(new AutoencoderScorer(network), split.Validation)[SelectionMetric].Mean;
            schedule.ObserveValidation(ndcg, beta);
            bool improved = ndcg > state.BestValidationNdcg100;
            if (improved) CopyInto(best, parameters);
            var record = new EpochRecord(epoch, step, lossSum / batches, totals.NegativeLogLikelihoodSum / totals.UserCount,
                totals.KlDivergenceSum / totals.UserCount, beta, ndcg, trainSeconds,
                epochClock.Elapsed.TotalSeconds - trainSeconds, totals.UserCount / trainSeconds);
            history.Add(record);
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
                History = history,
            };
            epochsThisRun++;
            AppendLog(record);
            if (_options.CheckpointPath is { } path)
                TrainingCheckpoint.Save(path, network, optimizer, _options, split.ItemIds, state, best);
            progress?.Report(Progress(epoch, batches, batches, step, record.Loss, beta, history, state, clock, epochsThisRun, null));
        }

        CopyInto(parameters, best);
        var testEvaluator = new RankingEvaluator(RankingMetric.PaperMetrics, _options.EvaluationBatchSize);
        var test = testEvaluator.Evaluate(new AutoencoderScorer(network), split.Test);
        foreach (var t in best) t.Dispose();
        return new TrainingResult(network, state.BestEpoch, state.BestValidationNdcg100, schedule.ChosenBeta(state.Step),
            test, history, completed);
    }

    private TrainingProgress Progress(int epoch, int batch, int batches, long step, double loss, double beta,
        List<EpochRecord> history, TrainingState state, Stopwatch clock, int epochsThisRun, Stopwatch? epochClock)
    {
        double fractionDone = epochsThisRun + (epochClock is null ? 0 : (double)batch / batches);
        int remainingEpochs = _options.Epochs - (epoch - 1);
        TimeSpan? remaining = fractionDone > 0
            ? TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / fractionDone * (remainingEpochs - (epochClock is null ? 1 : (double)batch / batches)))
            : null;
        return new TrainingProgress(epoch, _options.Epochs, batch, batches, step, loss, beta,
            history.Count > 0 ? history[^1].ValidationNdcg100 : null,
            state.BestEpoch > 0 ? state.BestValidationNdcg100 : null, clock.Elapsed, remaining, EpochCompleted: epochClock is null);
    }

    private void AppendLog(EpochRecord record)
    {
        if (_options.LogPath is not { } path) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.AppendAllText(path, JsonSerializer.Serialize(record) + Environment.NewLine);
    }

    private static void CopyInto(IReadOnlyList<Tensor> targets, IReadOnlyList<Tensor> sources)
    {
        using var noGrad = torch.no_grad();
        for (int i = 0; i < targets.Count; i++) targets[i].copy_(sources[i]);
    }

    private static TrainerOptions Validated(TrainerOptions options)
    {
        options.Validate();
        return options;
    }
}
