using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// The job grain's side of <see cref="TrainingLoop"/>: checkpoints and the epoch log in the job's storage
/// (<see cref="JobStore"/>), the status clients poll, the Prometheus metrics, and the mirror's tensor work on the
/// silo's compute thread. The β gauge is recorded only when <c>annealsBeta</c> (a Mult-VAE's job).
/// </summary>
internal sealed class JobLoopHost(string jobId, JobStore store, TrainerOptions options, IReadOnlyList<string> itemIds, string dataSha256, TorchRuntime torch,
    VaeCfMetrics metrics, Microsoft.Extensions.Logging.ILogger log, System.Diagnostics.Stopwatch clock, Action<Func<TrainingJobStatus, TrainingJobStatus>> update,
    Action<TrainingState, bool> started, bool annealsBeta) : ITrainingLoopHost
{
    private readonly EpochStepCosts _costs = new();
    private TimeSpan _earlierAttempts;

    public Task RunTensorWorkAsync(Action work) => torch.RunAsync(work);

    public TrainingState? Restore(AutoencoderNetwork mirror, AdamOptimizer optimizer, IReadOnlyList<Tensor> best)
    {
        if (!store.HasCheckpoint) return null;
        return store.RestoreCheckpoint(path => TrainingCheckpoint.Restore(path, mirror, optimizer, options, itemIds, best, dataSha256));
    }

    public void Started(TrainingState state, bool resumed)
    {
        // The checkpoint is stored before the epoch's log line, so a silo lost between the two left the log an epoch
        // behind; a resumed job rewrites it from the checkpoint's history, so every epoch appears once, as trained.
        if (resumed) store.RewriteLog(state.History);
        _earlierAttempts = EarlierAttempts.TimeOf(state.History);
        started(state, resumed);
    }

    public IReadOnlyList<RankingMetric> ValidationMetrics => RankingMetric.PaperMetrics;

    public void StepCompleted(StepReport r)
    {
        if (r.Batch == 1)
        {
            _costs.Reset();
            update(s => s with { State = TrainingJobState.Training, Epoch = r.Epoch, Batches = r.Batches });
        }
        var o = r.Outcome;
        _costs.Add(o);
        var loss = o.Loss;
        metrics.StepCompleted(jobId, loss.UserCount, loss.Loss(r.Beta), loss.NegativeLogLikelihoodSum / Math.Max(1, loss.UserCount),
            loss.KlDivergenceSum / Math.Max(1, loss.UserCount), annealsBeta ? r.Beta : null, o.Bytes, r.UsersPerSecond);
        var timings = EpochStepCosts.TimingsOf(o);
        update(s => s with
        {
            Batch = r.Batch, Step = r.Step, Loss = r.MeanLoss, Beta = r.Beta, BytesLastStep = o.Bytes, LastStep = timings,
            UsersPerSecond = r.UsersPerSecond, ElapsedSeconds = (_earlierAttempts + clock.Elapsed).TotalSeconds, RemainingSeconds = r.Remaining?.TotalSeconds ?? s.RemainingSeconds,
        });
    }

    public void Validating(int epoch) => update(s => s with { State = TrainingJobState.Validating });

    public void EpochCompleted(EpochRecord record, TrainingState state, EvaluationResult validation, AutoencoderNetwork? mirror,
        AdamOptimizer? optimizer, IReadOnlyList<Tensor>? best)
    {
        metrics.ValidationCompleted(jobId, record.ValidationNdcg100, validation[RankingMetric.Recall(20)].Mean, validation[RankingMetric.Recall(50)].Mean);
        // Without a mirror the executor (item shards) has written the checkpoint itself.
        if (mirror is not null) store.SaveCheckpoint(path => TrainingCheckpoint.Save(path, mirror, optimizer!, options, itemIds, state, best!, dataSha256));
        store.AppendLog(record);
        var summary = JobRunner.ToSummary(record) with
        {
            BytesSent = _costs.Bytes,
            StepTime = _costs.Timings,
        };
        JobRunner.LogEpoch(log, jobId, record.Epoch, record.Loss, record.ValidationNdcg100, record.Seconds, _costs.ComputeMilliseconds / 1000,
            _costs.FetchMilliseconds / 1000, _costs.ApplyMilliseconds / 1000, _costs.OtherMilliseconds / 1000, _costs.Bytes);
        update(s => s with
        {
            History = [.. s.History, summary], LastValidationNdcg100 = record.ValidationNdcg100, BestValidationNdcg100 = state.BestValidationNdcg100,
            BestEpoch = state.BestEpoch, UsersPerSecond = record.UsersPerSecond,
        });
    }

    public void Testing() => update(s => s with { State = TrainingJobState.Testing });
}
