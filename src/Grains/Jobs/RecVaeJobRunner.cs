using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// One run of a RecVAE training job: <see cref="RecVaeLoop"/>, the single-process trainer's own loop, with a
/// <see cref="ClusterStepExecutor"/> spreading each batch over the workers and the update over the shards of the side
/// the pass trains (the shards are cut between encoder and decoder), so the job computes the single-process
/// <see cref="RecVaeTrainer"/>'s model. After each epoch the job's checkpoint (the trainer's format) and log are
/// written; at the end the best model is scored on the test users and saved (the trainer's model file).
/// </summary>
internal sealed partial class RecVaeJobRunner(IGrainFactory grains, string jobId, JobStore store, TrainingJobSpec spec, TorchRuntime torch,
    JobReplicaRegistry replicas, ILogger log, VaeCfMetrics metrics, Action<Func<TrainingJobStatus, TrainingJobStatus>> update)
{
    private TorchRuntime Torch => torch;
    private JobStore Store => store;
    private TrainingJobSpec Spec => spec;
    private Action<Func<TrainingJobStatus, TrainingJobStatus>> Update => update;
    private VaeCfMetrics Metrics => metrics;
    private string JobId => jobId;
    private ILogger Log => log;

    public async Task RunAsync(CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var options = RecVaeSettings.Parse(spec.RecVae ?? throw new InvalidOperationException("The job is not a RecVAE job."));
        spec.Cluster.Validate();
        if (spec.Cluster.ItemShards > 0)
            throw new ArgumentException($"RecVAE does not train with item shards (the job asks for {spec.Cluster.ItemShards}): its encoder layers are dense.");
        var split = await Task.Run(() => SplitSerializer.Deserialize(store.LoadData() ?? throw new InvalidOperationException("The job's data is missing from storage.")), cancel);
        if (spec.Model.ItemCount != split.ItemCount)
            throw new ArgumentException($"The model has {spec.Model.ItemCount} items but the data has {split.ItemCount}.");

        int silos = (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count;
        int workers = spec.Cluster.Workers > 0 ? spec.Cluster.Workers : silos * spec.Cluster.WorkersPerSilo;
        int evaluators = spec.Cluster.Evaluators > 0 ? spec.Cluster.Evaluators : workers;
        var mirror = await torch.RunAsync(() => new RecVaeNetwork(split.ItemCount, options, options.Seed));
        var encoderAdam = await torch.RunAsync(() => RecVaeTrainer.NewEncoderAdam(mirror, options));
        var decoderAdam = await torch.RunAsync(() => RecVaeTrainer.NewDecoderAdam(mirror, options));
        ClusterStepExecutor? executor = null;
        try
        {
            var layout = await torch.RunAsync(() => ParameterLayout.Of(mirror));
            long parameterCount = layout.TotalLength;
            metrics.ModelBuilt(jobId, parameterCount);
            // Every shard belongs to the encoder or the decoder (one optimizer each). Given a count, the two are cut in
            // proportion to their sizes; by default each is cut into a shard per silo (more past 16M parameters), so
            // every silo updates part of the side a pass trains.
            int encoderBlocks = mirror.EncoderTensorCount;
            long decoderStart = layout.Blocks[encoderBlocks].Offset;
            var shardStarts = spec.Cluster.ParameterShards > 0
                ? layout.CutShards(Math.Max(2, spec.Cluster.ParameterShards), encoderBlocks)
                : layout.CutShards(ClusterPlan.AutoShards(decoderStart, silos), ClusterPlan.AutoShards(parameterCount - decoderStart, silos), encoderBlocks);
            int shards = shardStarts.Length - 1;
            var setup = new WorkerSetup(jobId, JobGeneration.Next(), spec.Model, options.Seed, shardStarts,
                spec.Cluster.MaxChunkBytes, spec.Cluster.CompressGradients, options.Precision.ToSettings(), spec.RecVae);
            var plan = new ClusterPlan(setup, layout, silos, workers, shards, evaluators);
            int decoderShard = RecVaeShards.Of(layout, setup.ShardStarts, mirror.EncoderTensorCount, RecVaePhase.Decoder).From;
            var settings = new ClusterStepSettings(new AdamOptions { LearningRate = options.LearningRate }.ToSettings(), 0,
                spec.Training.EvaluationBatchSize, mirror.EncoderTensorCount);
            executor = new ClusterStepExecutor(grains, jobId, plan, split, settings, ClusterMirror.Of(mirror, encoderAdam, decoderAdam, decoderShard),
                torch, replicas, w => JobRunner.LogWorkerReset(log, jobId, w));
            var stepper = executor;
            int passes = options.Alternating ? options.EncoderEpochs + options.DecoderEpochs : 1;
            int batchesPerPass = (split.Train.RowCount + options.BatchSize - 1) / options.BatchSize, batches = passes * batchesPerPass;
            var host = new Host(this, options, split.ItemCount, executor, clock, (state, resumed) =>
            {
                update(s => s with
                {
                    State = TrainingJobState.Starting, Epochs = options.Epochs, Workers = workers, ParameterShards = shards, Evaluators = evaluators,
                    Silos = silos, ParameterCount = parameterCount, Resumed = resumed, ShardSilos = stepper.ShardSilos.ToArray(),
                    ResumedAfterEpoch = resumed ? state.Epoch : 0, Epoch = state.Epoch, Batches = batches, Batch = state.History.Count > 0 ? batches : 0, History = state.History.Select(h => Summary(h, 0)).ToArray(),
                    // Every pass so far took a step per batch: the updates the checkpoint holds.
                    Step = state.Pass * batchesPerPass,
                    BestEpoch = state.BestEpoch, BestValidationNdcg100 = state.BestEpoch > 0 ? state.BestValidationNdcg100 : null,
                    Loss = state.History.Count > 0 ? state.History[^1].Loss : 0,
                    LastValidationNdcg100 = state.History.Count > 0 ? state.History[^1].ValidationNdcg100 : null,
                });
                if (resumed) JobRunner.LogResumed(log, jobId, state.Epoch);
                LogPlan(log, jobId, silos, workers, shards, decoderShard, evaluators, parameterCount, split.Train.RowCount);
                JobRunner.LogReady(log, jobId, clock.Elapsed.TotalSeconds);
            });
            var result = await new RecVaeLoop(options, executor, host).RunAsync(mirror, encoderAdam, decoderAdam, split.Train.RowCount, cancel);
            var state = result.State;
            await torch.RunAsync(() => store.SaveModel(path =>
                RecVaeModelFile.Save(path, mirror, split.ItemIds, state.BestEpoch, state.BestValidationNdcg100)));
            long modelLength = store.ModelLength;
            update(s => s with
            {
                State = TrainingJobState.Completed, WorkerSilos = stepper.WorkerSilos.ToArray(), ModelLength = modelLength, RemainingSeconds = 0,
                ElapsedSeconds = (result.TimeBeforeResume + clock.Elapsed).TotalSeconds,
                Test = result.Test.Summaries.Select(m => new MetricValue(m.Metric.Name, m.Mean, m.StandardError, m.Count)).ToArray(),
            });
            JobRunner.LogCompleted(log, jobId, state.BestEpoch, result.Test[RankingMetric.Ndcg(100)].Mean, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            if (executor is not null)
            {
                try { await executor.ReleaseAsync(); }
                catch (Exception e) { JobRunner.LogReleaseFailed(log, e, jobId); }
            }
            await torch.RunAsync(() => { encoderAdam.Dispose(); decoderAdam.Dispose(); mirror.Dispose(); });
        }
    }

    private static EpochSummary Summary(RecVaeEpoch epoch, long bytes) =>
        new(epoch.Epoch, 0, epoch.Loss, 0, 0, 0, epoch.ValidationNdcg100, epoch.Seconds, 0, 0, bytes);

    /// <summary>The job's side of the loop: checkpoints and the log in the job's storage, the status, the metrics.</summary>
    private sealed class Host(RecVaeJobRunner runner, RecVaeOptions options, int itemCount, ClusterStepExecutor executor, Stopwatch clock,
        Action<RecVaeLoopState, bool> started) : IRecVaeLoopHost
    {
        private readonly EpochStepCosts _costs = new();
        private TimeSpan _earlierAttempts;

        public Task RunTensorWorkAsync(Action work) => runner.Torch.RunAsync(work);

        public (RecVaeLoopState State, TorchSharp.torch.Tensor[] Best)? Restore(RecVaeNetwork mirror, AdamOptimizer encoderAdam, AdamOptimizer decoderAdam)
        {
            if (!runner.Store.HasCheckpoint) return null;
            var (header, best) = runner.Store.RestoreCheckpoint(path =>
                RecVaeCheckpoint.Restore(path, options, itemCount, runner.Spec.DataSha256, mirror, encoderAdam, decoderAdam));
            return (RecVaeCheckpoint.StateOf(header), best);
        }

        public void Started(RecVaeLoopState state, bool resumed)
        {
            if (resumed) runner.Store.RewriteLog(state.History);
            _earlierAttempts = EarlierAttempts.TimeOf(state.History);
            started(state, resumed);
        }

        public IReadOnlyList<RankingMetric> ValidationMetrics => RankingMetric.PaperMetrics;

        public void StepCompleted(RecVaeProgress p)
        {
            var o = executor.LastOutcome;
            if (p.Batch == 1)
            {
                _costs.Reset();
                runner.Update(s => s with { State = TrainingJobState.Training, Epoch = p.Epoch, Batches = p.Batches });
            }
            _costs.Add(o);
            var loss = o.Loss;
            runner.Metrics.StepCompleted(runner.JobId, loss.UserCount, p.BatchLoss, loss.NegativeLogLikelihoodSum / Math.Max(1, loss.UserCount),
                loss.KlDivergenceSum / Math.Max(1, loss.UserCount), null, o.Bytes, p.UsersPerSecond);
            var timings = EpochStepCosts.TimingsOf(o);
            runner.Update(s => s with
            {
                Batch = p.Batch, Step = s.Step + 1, Loss = p.BatchLoss, BytesLastStep = o.Bytes, LastStep = timings, UsersPerSecond = p.UsersPerSecond,
                ElapsedSeconds = (_earlierAttempts + clock.Elapsed).TotalSeconds, RemainingSeconds = p.Remaining.TotalSeconds,
            });
        }

        public void EpochCompleted(RecVaeEpoch record, RecVaeLoopState state, EvaluationResult validation, RecVaeNetwork mirror,
            AdamOptimizer encoderAdam, AdamOptimizer decoderAdam, IReadOnlyList<TorchSharp.torch.Tensor> best)
        {
            runner.Metrics.ValidationCompleted(runner.JobId, record.ValidationNdcg100, validation[RankingMetric.Recall(20)].Mean,
                validation[RankingMetric.Recall(50)].Mean);
            runner.Store.SaveCheckpoint(path =>
                RecVaeCheckpoint.Save(path, options, itemCount, runner.Spec.DataSha256, state, mirror, encoderAdam, decoderAdam, best));
            runner.Store.AppendLog(record);
            LogEpoch(runner.Log, runner.JobId, RecVaeTrainer.EpochLine(record, state, options.Epochs), _costs.ComputeMilliseconds / 1000,
                _costs.FetchMilliseconds / 1000, _costs.ApplyMilliseconds / 1000, _costs.OtherMilliseconds / 1000, _costs.Bytes);
            var summary = Summary(record, _costs.Bytes) with { StepTime = _costs.Timings };
            runner.Update(s => s with
            {
                History = [.. s.History, summary], LastValidationNdcg100 = record.ValidationNdcg100, BestValidationNdcg100 = state.BestValidationNdcg100,
                BestEpoch = state.BestEpoch,
            });
        }

        public void StoppedEarly(RecVaeLoopState state) => JobRunner.LogStoppedEarly(runner.Log, runner.JobId, state.Epoch, options.Patience, state.BestEpoch);

        public void Testing() => runner.Update(s => s with { State = TrainingJobState.Testing });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: RecVAE on {Silos} silos, {Workers} workers, {Shards} parameter shards (encoder {EncoderShards}, decoder the rest), {Evaluators} evaluators; {Parameters} parameters, {Users} training users")]
    private static partial void LogPlan(ILogger logger, string jobId, int silos, int workers, int shards, int encoderShards, int evaluators, long parameters, int users);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: {Line} ({ComputeSeconds:F1} s computing gradients, {FetchSeconds:F1} s loading parameters, {ApplySeconds:F1} s in shard updates, {OtherSeconds:F1} s in grain calls), {Bytes} bytes between silos")]
    private static partial void LogEpoch(ILogger logger, string jobId, string line, double computeSeconds, double fetchSeconds, double applySeconds,
        double otherSeconds, long bytes);
}
