using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using VaeCfCluster.Grains.Abstractions.Evaluation;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// One run of a training job: <see cref="TrainingLoop"/>, the trainer's own loop, with a <see cref="ClusterStepExecutor"/>
/// spreading each global batch over the workers and the update over the parameter shards, so the job computes the
/// single-process <see cref="Trainer"/>'s model. After each epoch the job's checkpoint (the trainer's format) and log
/// are written; at the end the best model is scored on the test users and saved.
/// </summary>
internal sealed partial class JobRunner(IGrainFactory grains, string jobId, JobStore store, TrainingJobSpec spec, TorchRuntime torch,
    JobReplicaRegistry replicas, ILogger log,
    VaeCfMetrics metrics, Action<Func<TrainingJobStatus, TrainingJobStatus>> update)
{
    public async Task RunAsync(CancellationToken cancel)
    {
        if (spec.RecVae is not null)
        {
            await new RecVaeJobRunner(grains, jobId, store, spec, torch, replicas, log, metrics, update).RunAsync(cancel);
            return;
        }
        var clock = Stopwatch.StartNew();
        var split = await Task.Run(() => SplitSerializer.Deserialize(store.LoadData() ?? throw new InvalidOperationException("The job's data is missing from storage.")), cancel);
        var config = spec.Model.ToConfig();
        var options = spec.Training.ToOptions();
        config.Validate();
        options.Validate();
        spec.Cluster.Validate();
        if (config.ItemCount != split.ItemCount)
            throw new ArgumentException($"The model has {config.ItemCount} items but the data has {split.ItemCount}.");

        int silos = (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count;
        int workers = spec.Cluster.Workers > 0 ? spec.Cluster.Workers : silos * spec.Cluster.WorkersPerSilo;
        int evaluators = spec.Cluster.Evaluators > 0 ? spec.Cluster.Evaluators : workers;

        int itemShards = spec.Cluster.ItemShards;
        if (itemShards > 0)
        {
            if (config.Likelihood != Likelihood.Multinomial)
                throw new ArgumentException($"Item shards need the multinomial likelihood (the job's model has {config.Likelihood}).");
            if (config.KeptClickWeight != 1)
                throw new ArgumentException($"Item shards do not weigh kept clicks (the job's model has a kept-click weight of {config.KeptClickWeight}): " +
                                            "a user's weighted click count would span shards.");
            if (itemShards > config.ItemCount)
                throw new ArgumentException($"{itemShards} item shards for {config.ItemCount} items: each shard needs an item.");
            if (config.ItemNeighbours > 0)
                throw new ArgumentException($"Item shards do not carry the item-item term (the job's model has {config.ItemNeighbours} neighbours per item): " +
                                            "its weights are not split by item range.");
        }
        // Item-sharded jobs keep no whole-model mirror: the shards hold, checkpoint and keep the best of their ranges.
        var mirror = itemShards > 0 ? null : await torch.RunAsync(() => new AutoencoderNetwork(config, options.Seed));
        var optimizer = mirror is null ? null : await torch.RunAsync(() => new AdamOptimizer(FlatParameters.Tensors(mirror), options.Adam));
        // The item-item term's index comes from every training user's clicks, which only the job holds: it is built
        // here (as the trainer builds it) and sent to the workers and evaluators.
        long[]? neighbourTargets = null;
        if (mirror is not null && config.ItemNeighbours > 0)
        {
            neighbourTargets = await Task.Run(() => ItemNeighbourhood.Build(split.Train, config.ItemNeighbours), cancel);
            await torch.RunAsync(() => mirror.SetNeighbourTargets(neighbourTargets));
        }
        IClusterExecutor? executor = null;
        try
        {
            long parameterCount = mirror is null ? JobMemoryEstimate.ParameterCount(spec.Model) : ParameterLayout.Of(mirror).TotalLength;
            metrics.ModelBuilt(jobId, parameterCount);
            int shards = itemShards > 0 ? itemShards
                : spec.Cluster.ParameterShards > 0 ? spec.Cluster.ParameterShards : ClusterPlan.AutoShards(parameterCount, silos);
            int generation = JobGeneration.Next();
            ItemShardClusterExecutor? itemSharded = null;
            ClusterStepExecutor? dataParallel = null;
            if (itemShards > 0)
            {
                workers = evaluators = 0;
                executor = itemSharded = new ItemShardClusterExecutor(grains, jobId, generation, itemShards, split, options, config, spec.Model, store,
                    spec.DataSha256, torch, spec.Cluster.MaxChunkBytes);
            }
            else
            {
                var layout = ParameterLayout.Of(mirror!);
                var setup = new WorkerSetup(jobId, generation, spec.Model, options.Seed, layout.CutShards(shards),
                    spec.Cluster.MaxChunkBytes, spec.Cluster.CompressGradients, spec.Training.Precision);
                var plan = new ClusterPlan(setup, layout, silos, workers, shards, evaluators);
                executor = dataParallel = new ClusterStepExecutor(grains, jobId, plan, split,
                    new ClusterStepSettings(options.Adam.ToSettings(), config.WeightDecay, options.EvaluationBatchSize), ClusterMirror.Of(mirror!, optimizer!), torch, replicas,
                    w => LogWorkerReset(log, jobId, w), neighbourTargets);
            }
            var stepper = executor;
            int batches = (split.Train.RowCount + options.BatchSize - 1) / options.BatchSize;
            var host = new JobLoopHost(jobId, store, options, split.ItemIds, spec.DataSha256, torch, metrics, log, clock, update, (state, resumed) =>
            {
                // Runs once the starting state (fresh or restored) is in place and the grains are set up.
                update(s => s with
                {
                    State = TrainingJobState.Starting, Epochs = options.Epochs, Workers = workers, ParameterShards = shards,
                    Evaluators = evaluators, Silos = silos, ParameterCount = parameterCount, Resumed = resumed, ShardSilos = stepper.ShardSilos.ToArray(),
                    ResumedAfterEpoch = resumed ? state.CompletedEpochs : 0, ItemShards = itemShards, ItemShardStateBytes = itemSharded?.ShardStateBytes.ToArray() ?? [],
                    Epoch = state.CompletedEpochs, Step = state.Step, History = state.History.Select(ToSummary).ToArray(),
                    BestEpoch = state.BestEpoch, BestValidationNdcg100 = state.BestEpoch > 0 ? state.BestValidationNdcg100 : null,
                    // A resumed job shows where its last finished epoch left it (all its batches, its pace) until it steps.
                    Batches = batches, Batch = state.History.Count > 0 ? batches : 0, Loss = state.History.Count > 0 ? state.History[^1].Loss : 0,
                    UsersPerSecond = state.History.Count > 0 ? state.History[^1].UsersPerSecond : 0,
                    Beta = state.History.Count > 0 ? state.History[^1].Beta : 0,
                    LastValidationNdcg100 = state.History.Count > 0 ? state.History[^1].ValidationNdcg100 : null,
                });
                if (resumed) LogResumed(log, jobId, state.CompletedEpochs);
                if (itemSharded?.RecutFrom is int recutFrom) LogRecut(log, jobId, recutFrom, itemShards);
                if (itemShards > 0) LogItemShardPlan(log, jobId, silos, itemShards, string.Join(", ", stepper.ShardSilos.Distinct()), parameterCount, split.Train.RowCount);
                else LogPlan(log, jobId, silos, workers, shards, evaluators, parameterCount, split.Train.RowCount);
                if (dataParallel is { NeighbourIndexBytes: > 0 })
                    LogNeighbourIndex(log, jobId, dataParallel.NeighbourIndexBytes / 1048576.0, dataParallel.NeighbourIndexCopies, workers + evaluators);
                LogReady(log, jobId, clock.Elapsed.TotalSeconds);
            }, annealsBeta: spec.Model.Kind == AutoencoderKind.Vae);
            var loop = new TrainingLoop(options, stepper, host, testAfterStop: false);
            var result = itemSharded is not null
                ? await loop.RunAsync(itemSharded, split.Train.RowCount, cancel)
                : await loop.RunAsync(mirror!, optimizer!, split.Train.RowCount, cancel);
            if (!result.Completed) cancel.ThrowIfCancellationRequested();
            var state = result.State;
            if (result.StoppedEarly) LogStoppedEarly(log, jobId, state.CompletedEpochs, options.Patience, state.BestEpoch);
            var test = result.Test!;
            var modelSummary = new ModelSummary(options.Epochs, state.BestEpoch, state.BestValidationNdcg100, result.ChosenBeta, options.Seed, DateTimeOffset.UtcNow);
            if (itemSharded is not null)
            {
                // The shards' memory first: the whole model is put together on this silo from their best parts.
                await itemSharded.ReleaseAsync();
                await itemSharded.SaveModelAsync(modelSummary);
            }
            else
            {
                await torch.RunAsync(() => store.SaveModel(path => ModelFile.Save(path, mirror!, split.ItemIds, modelSummary)));
            }
            long modelLength = store.ModelLength;
            update(s => s with
            {
                State = TrainingJobState.Completed, WorkerSilos = stepper.WorkerSilos.ToArray(), ChosenBeta = result.ChosenBeta, ModelLength = modelLength, RemainingSeconds = 0,
                ElapsedSeconds = (result.TimeBeforeResume + clock.Elapsed).TotalSeconds,
                Test = test.Summaries.Select(m => new MetricValue(m.Metric.Name, m.Mean, m.StandardError, m.Count)).ToArray(),
            });
            LogCompleted(log, jobId, state.BestEpoch, test[RankingMetric.Ndcg(100)].Mean, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            if (executor is not null)
            {
                try { await executor.ReleaseAsync(); }
                catch (Exception e) { LogReleaseFailed(log, e, jobId); }
                if (executor is IDisposable disposable) await torch.RunAsync(disposable.Dispose);
            }
            await torch.RunAsync(() => { optimizer?.Dispose(); mirror?.Dispose(); });
        }
    }

    internal static EpochSummary ToSummary(EpochRecord r) => new(r.Epoch, r.Step, r.Loss, r.NegativeLogLikelihood, r.KlDivergence,
        r.Beta, r.ValidationNdcg100, r.Seconds, r.ValidationSeconds, r.UsersPerSecond, 0);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: could not free the silos' replicas")]
    internal static partial void LogReleaseFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: the checkpoint's parts were written by {From} item shards; each of the {To} shards read its range from the parts that overlap it")]
    private static partial void LogRecut(ILogger logger, string jobId, int from, int to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: resuming after epoch {Epoch} from its checkpoint")]
    internal static partial void LogResumed(ILogger logger, string jobId, int epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: {Silos} silos, {Workers} workers, {Shards} parameter shards, {Evaluators} evaluators; {Parameters} parameters, {Users} training users")]
    private static partial void LogPlan(ILogger logger, string jobId, int silos, int workers, int shards, int evaluators, long parameters, int users);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: {Silos} silos, {ItemShards} item shards on {ShardSilos}; {Parameters} parameters, {Users} training users")]
    private static partial void LogItemShardPlan(ILogger logger, string jobId, int silos, int itemShards, string shardSilos, long parameters, int users);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: neighbour index ({MiB:F1} MiB) sent to {Copies} of {Grains} workers and evaluators; the others found it on their silo")]
    private static partial void LogNeighbourIndex(ILogger logger, string jobId, double mib, int copies, int grains);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: grains ready after {Seconds:F1} s")]
    internal static partial void LogReady(ILogger logger, string jobId, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: epoch {Epoch} loss {Loss:F3}, validation NDCG@100 {Ndcg:F4}, {Seconds:F1} s ({ComputeSeconds:F1} s computing gradients, {FetchSeconds:F1} s loading parameters, {ApplySeconds:F1} s in shard updates, {OtherSeconds:F1} s in grain calls), {Bytes} bytes between silos")]
    internal static partial void LogEpoch(ILogger logger, string jobId, int epoch, double loss, double ndcg, double seconds, double computeSeconds,
        double fetchSeconds, double applySeconds, double otherSeconds, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: worker {Worker} lost its state; setting it up again")]
    internal static partial void LogWorkerReset(ILogger logger, string jobId, int worker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: stopped early after epoch {Epoch}: no better validation NDCG@100 for {Patience} epochs since epoch {BestEpoch}")]
    internal static partial void LogStoppedEarly(ILogger logger, string jobId, int epoch, int patience, int bestEpoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: completed (best epoch {BestEpoch}, test NDCG@100 {Ndcg:F4}) in {Seconds:F1} s")]
    internal static partial void LogCompleted(ILogger logger, string jobId, int bestEpoch, double ndcg, double seconds);
}
