using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using VaeCfCluster.Grains.Abstractions.Evaluation;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// One run of a training job: synchronous data-parallel training equal to the single-process <see cref="Trainer"/>.
/// Each epoch's seeded user order is cut into global batches of B users; each worker gets the batch's users of its
/// partition; once every worker has pushed its gradient the parameter server applies the step on all shards. After each
/// epoch the evaluators score validation NDCG@100, the job keeps the best weights and writes a checkpoint in the
/// trainer's format; at the end the best model is scored on the test users and saved.
/// </summary>
internal sealed partial class JobRunner(IGrainFactory grains, string jobId, JobStore store, TrainingJobSpec spec, ILogger log,
    VaeCfMetrics metrics, Action<Func<TrainingJobStatus, TrainingJobStatus>> update)
{
    private static readonly RankingMetric SelectionMetric = RankingMetric.Ndcg(100);

    public async Task RunAsync(CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var split = await Task.Run(() => SplitSerializer.Deserialize(store.LoadData() ?? throw new InvalidOperationException("The job's data is missing from storage.")), cancel);
        var config = Deserialize<AutoencoderConfig>(spec.ModelConfigJson, "model configuration");
        var options = Deserialize<TrainerOptions>(spec.TrainerOptionsJson, "trainer options");
        config.Validate();
        options.Validate();
        spec.Cluster.Validate();
        if (config.ItemCount != split.ItemCount)
            throw new ArgumentException($"The model has {config.ItemCount} items but the data has {split.ItemCount}.");

        int silos = (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count;
        int workers = spec.Cluster.Workers > 0 ? spec.Cluster.Workers : silos * spec.Cluster.WorkersPerSilo;
        int evaluators = spec.Cluster.Evaluators > 0 ? spec.Cluster.Evaluators : workers;
        int chunk = spec.Cluster.MaxChunkBytes;

        using var mirror = new AutoencoderNetwork(config, options.Seed);
        var layout = ParameterLayout.Of(mirror);
        metrics.ModelBuilt(jobId, layout.TotalLength);
        int shards = spec.Cluster.ParameterShards > 0 ? spec.Cluster.ParameterShards : AutoShards(layout.TotalLength, silos);
        var starts = layout.CutShards(shards);
        var parameters = FlatParameters.Tensors(mirror);
        using var optimizer = new AdamOptimizer(parameters, options.Adam);
        var best = parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        try
        {
            var state = new TrainingState();
            bool resumed = false;
            if (store.HasCheckpoint)
            {
                state = store.RestoreCheckpoint(path => TrainingCheckpoint.Restore(path, mirror, optimizer, options, split.ItemIds, best));
                resumed = true;
                LogResumed(log, jobId, state.CompletedEpochs);
            }
            int generation = Random.Shared.Next(1, int.MaxValue);
            update(s => s with
            {
                State = TrainingJobState.Starting, Epochs = options.Epochs, Workers = workers, ParameterShards = shards,
                Evaluators = evaluators, Silos = silos, ParameterCount = layout.TotalLength, Resumed = resumed,
                Epoch = state.CompletedEpochs, Step = state.Step, History = state.History.Select(ToSummary).ToArray(),
                BestEpoch = state.BestEpoch, BestValidationNdcg100 = state.BestEpoch > 0 ? state.BestValidationNdcg100 : null,
                Batches = (split.Train.RowCount + options.BatchSize - 1) / options.BatchSize,
                Loss = state.History.Count > 0 ? state.History[^1].Loss : 0, Beta = state.History.Count > 0 ? state.History[^1].Beta : 0,
                LastValidationNdcg100 = state.History.Count > 0 ? state.History[^1].ValidationNdcg100 : null,
            });
            LogPlan(log, jobId, silos, workers, shards, evaluators, layout.TotalLength, split.Train.RowCount);

            // Parameter server: shards seeded from the mirror (fresh weights or the checkpoint), then the step and β state.
            var transfer = new ShardStateTransfer(grains, jobId, generation, layout, starts, chunk);
            await Task.WhenAll(Enumerable.Range(0, shards).Select(s => grains.GetGrain<IParameterShardGrain>(GrainKeys.Shard(jobId, s))
                .InitializeAsync(new ShardSetup(generation, starts[s + 1] - starts[s], layout.WeightRanges(starts[s], starts[s + 1]),
                    options.Adam.LearningRate, options.Adam.Beta1, options.Adam.Beta2, options.Adam.Epsilon, config.WeightDecay, state.Step))));
            var versions = await transfer.PushAsync(parameters, ShardStateKind.Parameters, optimizer.StepCount);
            await transfer.PushAsync(optimizer.FirstMoments, ShardStateKind.FirstMoment, optimizer.StepCount);
            await transfer.PushAsync(optimizer.SecondMoments, ShardStateKind.SecondMoment, optimizer.StepCount);
            var server = grains.GetGrain<IParameterServerGrain>(jobId);
            var ticket = await server.ConfigureAsync(new ParameterServerSetup(generation, shards, JsonSerializer.Serialize(options.Beta),
                state.Step, new BetaState(state.FrozenBeta, state.BetaBestMetric, state.BetaAtBest, state.BetaEpochsSinceBest), versions));

            var setup = new WorkerSetup(jobId, generation, spec.ModelConfigJson, options.Seed, starts, chunk, spec.Cluster.CompressGradients);
            await Task.WhenAll(Enumerable.Range(0, workers).Select(w => PrepareWorkerAsync(setup, split.Train, w, workers)));
            await Task.WhenAll(Enumerable.Range(0, evaluators).Select(e => PrepareEvaluatorAsync(setup, split, e, evaluators)));
            LogReady(log, jobId, clock.Elapsed.TotalSeconds);

            var train = split.Train;
            int batchSize = options.BatchSize;
            int batches = (train.RowCount + batchSize - 1) / batchSize;
            var runClock = Stopwatch.StartNew();
            int epochsThisRun = 0, epochsBefore = state.CompletedEpochs;
            double beta = ticket.Beta;
            for (int epoch = state.CompletedEpochs + 1; epoch <= options.Epochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                var order = CounterRandom.Permutation(train.RowCount, (ulong)options.Seed, (ulong)epoch);
                var totals = default(BatchLoss);
                double lossSum = 0;
                long epochBytes = 0;
                update(s => s with { State = TrainingJobState.Training, Epoch = epoch, Batches = batches });
                for (int b = 0; b < batches; b++)
                {
                    cancel.ThrowIfCancellationRequested();
                    var batch = order.AsSpan(b * batchSize, Math.Min(batchSize, train.RowCount - b * batchSize)).ToArray();
                    beta = ticket.Beta;
                    var stepClock = Stopwatch.StartNew();
                    var slices = Slices(batch, workers);
                    var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(w =>
                        ComputeAsync(setup, train, w, workers, new WorkerStepRequest(generation, ticket.Step, epoch, beta, batch.Length, ticket.ShardVersions, slices[w]))));
                    ticket = await server.ApplyAsync(generation, workers);
                    var timings = new StepTimings(stepClock.Elapsed.TotalMilliseconds, results.Max(r => r.FetchMilliseconds),
                        results.Max(r => r.ComputeMilliseconds), results.Max(r => r.PushMilliseconds), ticket.LastApplyMilliseconds);
                    var loss = new BatchLoss(results.Sum(r => r.NegativeLogLikelihoodSum), results.Sum(r => r.KlDivergenceSum), results.Sum(r => r.Users));
                    long bytes = results.Sum(r => r.BytesPushed + r.BytesFetched);
                    epochBytes += bytes;
                    totals += loss;
                    lossSum += loss.Loss(beta);
                    metrics.StepCompleted(jobId, loss.UserCount, loss.Loss(beta), loss.NegativeLogLikelihoodSum / Math.Max(1, loss.UserCount),
                        loss.KlDivergenceSum / Math.Max(1, loss.UserCount), beta, bytes, totals.UserCount / epochClock.Elapsed.TotalSeconds);
                    double fraction = epochsThisRun + (b + 1.0) / batches;
                    int done = b + 1;
                    double elapsed = runClock.Elapsed.TotalSeconds;
                    update(s => s with
                    {
                        Batch = done, Step = ticket.Step, Loss = lossSum / done, Beta = beta, BytesLastStep = bytes, LastStep = timings,
                        UsersPerSecond = totals.UserCount / epochClock.Elapsed.TotalSeconds, ElapsedSeconds = clock.Elapsed.TotalSeconds,
                        RemainingSeconds = Math.Max(0, elapsed / fraction * (options.Epochs - epochsBefore - fraction)),
                    });
                }
                double trainSeconds = epochClock.Elapsed.TotalSeconds;
                update(s => s with { State = TrainingJobState.Validating });
                var validation = await EvaluateAsync(setup, split, evaluators, "validation", ticket.ShardVersions, RankingMetric.PaperMetrics, options.EvaluationBatchSize);
                double ndcg = validation[SelectionMetric].Mean;
                metrics.ValidationCompleted(jobId, ndcg, validation[RankingMetric.Recall(20)].Mean, validation[RankingMetric.Recall(50)].Mean);
                var betaState = await server.ObserveValidationAsync(ndcg, beta);
                bool improved = ndcg > state.BestValidationNdcg100;
                await transfer.PullAllAsync(parameters, optimizer);
                if (improved) CopyInto(best, parameters);
                var record = new EpochRecord(epoch, ticket.Step, lossSum / batches, totals.NegativeLogLikelihoodSum / totals.UserCount,
                    totals.KlDivergenceSum / totals.UserCount, beta, ndcg, trainSeconds, epochClock.Elapsed.TotalSeconds - trainSeconds,
                    totals.UserCount / trainSeconds);
                var history = new List<EpochRecord>(state.History) { record };
                state = state with
                {
                    CompletedEpochs = epoch, Step = ticket.Step,
                    BestValidationNdcg100 = improved ? ndcg : state.BestValidationNdcg100, BestEpoch = improved ? epoch : state.BestEpoch,
                    FrozenBeta = betaState.FrozenBeta, BetaBestMetric = betaState.BestMetric, BetaAtBest = betaState.BetaAtBest,
                    BetaEpochsSinceBest = betaState.EpochsSinceBest, History = history,
                };
                var saved = state;
                await Task.Run(() => store.SaveCheckpoint(path => TrainingCheckpoint.Save(path, mirror, optimizer, options, split.ItemIds, saved, best)));
                store.AppendLog(record);
                epochsThisRun++;
                var summary = ToSummary(record) with { BytesSent = epochBytes };
                var current = state;
                update(s => s with
                {
                    History = [.. s.History, summary], LastValidationNdcg100 = ndcg, BestValidationNdcg100 = current.BestValidationNdcg100,
                    BestEpoch = current.BestEpoch, UsersPerSecond = record.UsersPerSecond,
                });
                LogEpoch(log, jobId, epoch, record.Loss, ndcg, trainSeconds, epochBytes);
            }

            // The best weights go back to the shards so the evaluators score them on the test users.
            update(s => s with { State = TrainingJobState.Testing });
            CopyInto(parameters, best);
            var bestVersions = await transfer.PushAsync(parameters, ShardStateKind.Parameters, -1);
            await server.SetShardVersionsAsync(bestVersions);
            var test = await EvaluateAsync(setup, split, evaluators, "test", bestVersions, RankingMetric.PaperMetrics, options.EvaluationBatchSize);
            double chosenBeta = state.FrozenBeta ?? new BetaSchedule(options.Beta).BetaAt(state.Step);
            var modelSummary = new ModelSummary(options.Epochs, state.BestEpoch, state.BestValidationNdcg100, chosenBeta, options.Seed, DateTimeOffset.UtcNow);
            await Task.Run(() => store.SaveModel(path => ModelFile.Save(path, mirror, split.ItemIds, modelSummary)));
            long modelLength = store.ModelLength;
            update(s => s with
            {
                State = TrainingJobState.Completed, ChosenBeta = chosenBeta, ModelLength = modelLength, RemainingSeconds = 0,
                ElapsedSeconds = clock.Elapsed.TotalSeconds,
                Test = test.Summaries.Select(m => new MetricValue(m.Metric.Name, m.Mean, m.StandardError, m.Count)).ToArray(),
            });
            LogCompleted(log, jobId, state.BestEpoch, test[RankingMetric.Ndcg(100)].Mean, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var t in best) t.Dispose();
        }
    }

    /// <summary>One shard per 16M parameters; a model that needs several gets at least one per silo.</summary>
    internal static int AutoShards(long parameters, int silos)
    {
        int count = ParameterLayout.AutoShardCount(parameters);
        return count == 1 ? 1 : Math.Max(count, silos);
    }

    /// <summary>Each worker's users of a batch (global rows with row % workers == worker), in batch order.</summary>
    internal static int[][] Slices(int[] batch, int workers)
    {
        var slices = new List<int>[workers];
        for (int w = 0; w < workers; w++) slices[w] = [];
        foreach (int u in batch) slices[u % workers].Add(u);
        return slices.Select(s => s.ToArray()).ToArray();
    }

    private async Task<WorkerStepResult> ComputeAsync(WorkerSetup setup, ClickMatrix train, int w, int workers, WorkerStepRequest request)
    {
        var worker = grains.GetGrain<ITrainingWorkerGrain>(GrainKeys.Worker(jobId, w));
        var result = await worker.ComputeGradientAsync(request);
        if (result.Ready) return result;
        LogWorkerReset(log, jobId, w);
        await PrepareWorkerAsync(setup, train, w, workers);
        result = await worker.ComputeGradientAsync(request);
        return result.Ready ? result : throw new InvalidOperationException($"Worker {w} is not ready after being set up again.");
    }

    private async Task PrepareWorkerAsync(WorkerSetup setup, ClickMatrix train, int w, int workers)
    {
        var worker = grains.GetGrain<ITrainingWorkerGrain>(GrainKeys.Worker(jobId, w));
        await worker.PrepareAsync(setup);
        var chunks = ChunkAssembler.Split(UserPartition.Of(train, w, workers).Serialize(), setup.MaxChunkBytes);
        for (int k = 0; k < chunks.Count; k++) await worker.LoadDataAsync(new PartitionChunk(setup.Generation, k, chunks.Count, chunks[k]));
    }

    private async Task PrepareEvaluatorAsync(WorkerSetup setup, DataSplit split, int e, int evaluators)
    {
        var evaluator = grains.GetGrain<IEvaluationGrain>(GrainKeys.Evaluator(jobId, e));
        await evaluator.PrepareAsync(setup);
        foreach (var (name, users) in new[] { ("validation", split.Validation), ("test", split.Test) })
        {
            var (start, count) = DistributedEvaluation.Ranges(users.UserCount, evaluators)[e];
            var chunks = ChunkAssembler.Split(HeldOutRange.Serialize(users, start, count), setup.MaxChunkBytes);
            for (int k = 0; k < chunks.Count; k++)
                await evaluator.LoadUsersAsync(new HeldOutChunk(setup.Generation, name, start, k, chunks.Count, chunks[k]));
        }
    }

    private async Task<EvaluationResult> EvaluateAsync(WorkerSetup setup, DataSplit split, int evaluators, string set, long[] versions,
        IReadOnlyList<RankingMetric> metrics, int batchSize)
    {
        var request = new EvaluationRequest(setup.Generation, set, versions, metrics.Select(m => m.Name).ToArray(), batchSize);
        var result = await DistributedEvaluation.EvaluateAsync(grains, jobId, evaluators, request);
        if (result is not null) return result;
        await Task.WhenAll(Enumerable.Range(0, evaluators).Select(e => PrepareEvaluatorAsync(setup, split, e, evaluators)));
        return await DistributedEvaluation.EvaluateAsync(grains, jobId, evaluators, request)
               ?? throw new InvalidOperationException("Evaluators are not ready after being set up again.");
    }

    private static EpochSummary ToSummary(EpochRecord r) => new(r.Epoch, r.Step, r.Loss, r.NegativeLogLikelihood, r.KlDivergence,
        r.Beta, r.ValidationNdcg100, r.Seconds, r.ValidationSeconds, r.UsersPerSecond, 0);

    private static void CopyInto(IReadOnlyList<Tensor> targets, IReadOnlyList<Tensor> sources)
    {
        using var noGrad = TorchSharp.torch.no_grad();
        for (int i = 0; i < targets.Count; i++) targets[i].copy_(sources[i]);
    }

    private static T Deserialize<T>(string json, string what) =>
        JsonSerializer.Deserialize<T>(json) ?? throw new ArgumentException($"The {what} is empty.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: resuming after epoch {Epoch} from its checkpoint")]
    private static partial void LogResumed(ILogger logger, string jobId, int epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: {Silos} silos, {Workers} workers, {Shards} parameter shards, {Evaluators} evaluators; {Parameters} parameters, {Users} training users")]
    private static partial void LogPlan(ILogger logger, string jobId, int silos, int workers, int shards, int evaluators, long parameters, int users);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: grains ready after {Seconds:F1} s")]
    private static partial void LogReady(ILogger logger, string jobId, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: epoch {Epoch} loss {Loss:F3}, validation NDCG@100 {Ndcg:F4}, {Seconds:F1} s, {Bytes} bytes moved")]
    private static partial void LogEpoch(ILogger logger, string jobId, int epoch, double loss, double ndcg, double seconds, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: worker {Worker} lost its state; setting it up again")]
    private static partial void LogWorkerReset(ILogger logger, string jobId, int worker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: completed (best epoch {BestEpoch}, test NDCG@100 {Ndcg:F4}) in {Seconds:F1} s")]
    private static partial void LogCompleted(ILogger logger, string jobId, int bestEpoch, double ndcg, double seconds);
}
