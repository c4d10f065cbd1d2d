using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Storage;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// A training job: takes the uploaded split and the spec, runs <see cref="JobRunner"/> in the background and answers
/// status while it runs. Spec, data, status, checkpoint and model live in the job's folder (<see cref="JobStore"/>),
/// so when the silo holding the job dies the job resumes from its last checkpoint on the next call, on another silo.
/// A job that would not fit in the silos' memory is refused at start (<see cref="JobMemoryEstimate"/>); a started job
/// waits for one of the cluster's job slots (<see cref="JobSlot"/>, state Queued) before it builds anything.
/// </summary>
public sealed partial class TrainingJobGrain(IJobBlobStore blobs, TorchRuntime torch, JobReplicaRegistry replicas, VaeCfMetrics metrics,
    IOptions<JobQueueOptions> jobs, ILogger<TrainingJobGrain> log) : Grain, ITrainingJobGrain
{
    private readonly ChunkAssembler _upload = new();
    private JobStore _store = null!;
    private byte[]? _uploaded;
    private TrainingJobStatus _status = null!;
    private TrainingJobSpec? _running;
    private Task? _run;
    private CancellationTokenSource? _cancel;

    /// <summary>Set when the activation goes away while its run is going: the run stops and leaves the job as it is.</summary>
    private bool _deactivating;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string id = this.GetPrimaryKeyString();
        _store = new JobStore(blobs, id);
        _status = _store.LoadStatus() ?? new TrainingJobStatus { JobId = id };
        // A job that was running when its silo went away continues from its checkpoint; where the silo does not resume
        // jobs on its own (the in-process cluster), it is stopped, as if cancelled, until a command starts it again.
        if (!_status.IsFinished && _status.State != TrainingJobState.Created && _store.LoadSpec() is { } spec && _store.HasData)
        {
            if (jobs.Value.ResumeOnActivation)
            {
                LogRecovering(log, id, _status.Epoch);
                Launch(spec);
            }
            else
            {
                LogInterrupted(log, id, _status.Epoch);
                _status = _status with { State = TrainingJobState.Cancelled, QueuePosition = 0, RemainingSeconds = null };
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops a run that is still going when the runtime deactivates this activation (its grain directory entry was on a
    /// silo that died, the silo is shutting down): the next activation resumes the job from its checkpoint, so this run
    /// must not go on beside it. It neither publishes a final state nor gives the job's slot back; the status stays
    /// unfinished for the next activation and the slot is the job's, renewed by that activation. The wait for the run
    /// is short: calls to this grain wait while it deactivates, and a run inside a call to a dead silo may take its
    /// 30 s timeout to notice; it stops at its next step, and the silos refuse its older generation meanwhile.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_run is not { IsCompleted: false } run || _cancel is null) return;
        _deactivating = true;
        LogStoppingForDeactivation(log, _status.JobId, _status.Epoch, reason.Description);
        await _cancel.CancelAsync();
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            // Not stopped yet: it stops at its next step.
        }
    }

    /// <inheritdoc />
    public Task UploadDataAsync(DataChunk chunk)
    {
        if (IsRunning)
            throw new InvalidOperationException($"Job '{_status.JobId}' is running; start it with the same data and settings to follow it, or cancel it before uploading new data.");
        _uploaded = _upload.Add(chunk.Index, chunk.Count, chunk.Bytes);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<TrainingJobStatus> StartAsync(TrainingJobSpec spec)
    {
        if (IsRunning) return Attach(spec);
        Validate(spec);
        await CheckMemoryAsync(spec);
        var data = _uploaded ?? await Task.Run(_store.LoadData)
                   ?? throw new ArgumentException($"Job '{_status.JobId}' has no data: upload the split before starting it.");
        if (data.Length != spec.DataLength || Convert.ToHexStringLower(SHA256.HashData(data)) != spec.DataSha256)
            throw new ArgumentException($"Job '{_status.JobId}': the data received ({data.Length} bytes) does not match the spec's length and SHA-256.");
        var previous = _store.LoadSpec();
        // A checkpoint of other data is refused, as the single-process trainer refuses it, rather than silently dropped.
        if (!spec.Fresh && previous is not null && previous.DataSha256 != spec.DataSha256 && _store.HasCheckpoint)
            throw new ArgumentException($"Job '{_status.JobId}' ({_store.Description}) has a checkpoint trained on other data " +
                                        $"(data SHA-256 {Short(previous.DataSha256)} stored, {Short(spec.DataSha256)} now); " +
                                        "train on the data it was trained on, start it over (vaecf train --fresh) or give another --job.");
        // Early stopping's patience decides when the run ends, not what it computes: a run given another patience goes on.
        bool sameRun = previous is not null && previous.DataSha256 == spec.DataSha256 && previous.Model.SameAs(spec.Model)
                       && previous.Training with { Patience = 0 } == spec.Training with { Patience = 0 } && SameRecVae(previous.RecVae, spec.RecVae);
        if (spec.Fresh || !sameRun) _store.ClearRun();
        if (_uploaded is not null) await Task.Run(() => _store.SaveData(data));
        _uploaded = null;
        _store.SaveSpec(spec);
        // The job takes its place in the queue before the caller hears back, so jobs start in the order they were submitted.
        var place = await Slots.AcquireAsync(_status.JobId);
        _status = new TrainingJobStatus
        {
            JobId = _status.JobId, State = place.Granted ? TrainingJobState.Starting : TrainingJobState.Queued, QueuePosition = place.Position,
            DataName = spec.DataName, Model = JobModelName.Of(spec),
        };
        _store.SaveStatus(_status);
        metrics.JobStateChanged(_status.JobId, _status.State);
        Launch(spec);
        return _status;
    }

    /// <inheritdoc />
    public Task<TrainingJobStatus> GetStatusAsync() => Task.FromResult(_status);

    /// <inheritdoc />
    public async Task CancelAsync()
    {
        if (_cancel is null || _run is null) return;
        await _cancel.CancelAsync();
        await _run;
    }

    /// <inheritdoc />
    public async Task<byte[]> ReadModelAsync(long offset, int count)
    {
        if (_status.State != TrainingJobState.Completed || _store.ModelLength < 0)
            throw new InvalidOperationException($"Job '{_status.JobId}' has no model yet (state {_status.State}).");
        return await Task.Run(() => _store.ReadModel(offset, count));
    }

    /// <inheritdoc />
    public async Task DeleteAsync()
    {
        if (IsRunning) throw new InvalidOperationException($"Job '{_status.JobId}' is running; cancel it before deleting it.");
        await Task.Run(_store.DeleteAll);
        _uploaded = null;
        _status = new TrainingJobStatus { JobId = _status.JobId };
        DeactivateOnIdle();
    }

    /// <summary>The run's final status, held back until its job slot is given back.</summary>
    private TrainingJobStatus? _finished;

    private bool IsRunning => _run is { IsCompleted: false };

    private IJobSlotGrain Slots => GrainFactory.GetGrain<IJobSlotGrain>(IJobQueueGrain.Key);

    /// <summary>A start request for the running job: the same run is followed as it is, anything else is refused.</summary>
    private TrainingJobStatus Attach(TrainingJobSpec spec)
    {
        if (spec.Fresh) throw new ArgumentException($"Job '{_status.JobId}' is running; cancel it before starting it afresh.");
        var differences = JobSpecComparison.Differences(_running!, spec);
        if (differences.Count > 0) throw new ArgumentException(JobSpecComparison.Refusal(_status.JobId, differences));
        LogAttached(log, _status.JobId, _status.Epoch);
        return _status;
    }

    private void Launch(TrainingJobSpec spec)
    {
        _running = spec;
        _cancel = new CancellationTokenSource();
        _run = RunAsync(() => new JobRunner(GrainFactory, _status.JobId, _store, spec, torch, replicas, log, metrics, Progress), _cancel.Token);
    }

    private async Task RunAsync(Func<JobRunner> runner, CancellationToken cancel)
    {
        // Keeps the activation alive while the job runs or waits, whether or not anyone asks for its status.
        DelayDeactivation(TimeSpan.FromDays(30));
        var slot = new JobSlot(Slots, _status.JobId);
        using var holding = new CancellationTokenSource();
        Task? renewals = null;
        _finished = null;
        try
        {
            await slot.WaitAsync(position => Update(s => s with { State = TrainingJobState.Queued, QueuePosition = position }),
                e => LogQueueUnavailable(log, e, _status.JobId), cancel);
            Update(s => s with { State = TrainingJobState.Starting, QueuePosition = 0 });
            renewals = slot.HoldAsync(e => LogRenewFailed(log, e, _status.JobId), holding.Token);
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    await runner().RunAsync(cancel);
                    break;
                }
                catch (Exception e) when (SiloLoss.Is(e) && attempt < SiloLoss.Attempts && !cancel.IsCancellationRequested)
                {
                    // A silo died under the job (a worker, a shard or the queue's) before the cluster noticed: once it has,
                    // the run starts again from its last checkpoint on the silos left.
                    var wait = SiloLoss.Backoff(attempt);
                    LogSiloLost(log, e, _status.JobId, attempt, SiloLoss.Attempts, wait.TotalSeconds);
                    await Task.Delay(wait, cancel);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && _deactivating)
        {
            // Left unfinished for the next activation (OnDeactivateAsync).
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            _finished = _status with { State = TrainingJobState.Cancelled, QueuePosition = 0 };
            LogCancelled(log, _status.JobId, _status.Epoch);
        }
        catch (Exception e) when (_deactivating)
        {
            // A normal hand-off (the silo is stopping): the reason in a line, not a stack trace.
            LogStoppedForDeactivation(log, _status.JobId, e.Message.Split('\n', 2)[0]);
        }
        catch (Exception e)
        {
            _finished = _status with { State = TrainingJobState.Failed, Error = e.Message, QueuePosition = 0 };
            LogFailed(log, e, _status.JobId);
        }
        finally
        {
            await holding.CancelAsync();
            if (renewals is not null) await renewals;
            try
            {
                if (!_deactivating) await slot.ReleaseAsync();
            }
            catch (Exception e)
            {
                // The slot's lease runs out and the queue reclaims it.
                LogReleaseFailed(log, e, _status.JobId);
            }
            // The final state is published after the slot is given back, so whoever sees the job finished sees its slot free.
            if (_finished is { } finished) Update(_ => finished);
            _finished = null;
            DelayDeactivation(TimeSpan.FromMinutes(10));
        }
    }

    /// <summary>The runner's status changes: a final one waits for the slot to be given back (<see cref="RunAsync"/>).</summary>
    private void Progress(Func<TrainingJobStatus, TrainingJobStatus> change)
    {
        var next = change(_status);
        if (next.IsFinished) _finished = next;
        else Update(_ => next);
    }

    private void Update(Func<TrainingJobStatus, TrainingJobStatus> change)
    {
        var before = _status;
        _status = change(before);
        if (_status.State != before.State) metrics.JobStateChanged(_status.JobId, _status.State);
        // The status file changes with the state and once per epoch, not on every step.
        // A run stopping because its activation goes away leaves the stored status to the next activation.
        if (!_deactivating && (_status.State != before.State || _status.History.Count != before.History.Count || _status.IsFinished))
            _store.SaveStatus(_status);
    }

    /// <summary>Refuses, with the numbers, a job whose parameters and Adam state would not fit in the silos' memory.</summary>
    private async Task CheckMemoryAsync(TrainingJobSpec spec)
    {
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        var hosts = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        var estimate = JobMemoryEstimate.Of(spec, hosts.Length);
        long budget = jobs.Value.MemoryBudgetBytes;
        double available = budget > 0
            ? budget
            : (await management.GetRuntimeStatistics(hosts)).Select(s => (double)s.EnvironmentStatistics.FilteredAvailableMemoryBytes).DefaultIfEmpty(0).Min();
        // A silo that cannot tell its free memory reports 0: nothing to compare with.
        if (available > 0 && estimate.BytesPerSilo > available)
            throw new ArgumentException(estimate.Refusal(_status.JobId, available,
                budget > 0 ? $"{JobQueueOptions.SectionName}:{nameof(JobQueueOptions.MemoryBudgetBytes)}" : "the least any silo reports"));
    }

    private static string Short(string sha256) => sha256.Length > 12 ? sha256[..12] + "…" : sha256;

    private static void Validate(TrainingJobSpec spec)
    {
        if (spec.Model is null || spec.Training is null) throw new ArgumentException("The job has no model or training settings.");
        spec.Model.ToConfig().Validate();
        spec.Training.ToOptions().Validate();
        spec.Cluster.Validate();
        if (spec.RecVae is not null) RecVaeSettings.Parse(spec.RecVae);
    }

    /// <summary>Whether two RecVAE settings (or none) describe the same run: all but the patience, as for the autoencoders.</summary>
    private static bool SameRecVae(string? previous, string? requested) =>
        previous is null || requested is null
            ? previous == requested
            : RecVaeSettings.Parse(previous) with { Patience = 0 } is var a && RecVaeSettings.Parse(requested) with { Patience = 0 } is var b
              && RecVaeSettings.ToJson(a) == RecVaeSettings.ToJson(b);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: this activation is being deactivated ({Reason}) while the job runs (epoch {Epoch}); stopping the run here, the next activation resumes it from the checkpoint")]
    private static partial void LogStoppingForDeactivation(ILogger logger, string jobId, int epoch, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: its run stopped at epoch {Epoch} without finishing (its command was stopped); it waits to be started again, which resumes it from its checkpoint")]
    private static partial void LogInterrupted(ILogger logger, string jobId, int epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: the run of a deactivated activation stopped ({Reason})")]
    private static partial void LogStoppedForDeactivation(ILogger logger, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: was running (epoch {Epoch}) when its silo stopped; resuming from the checkpoint")]
    private static partial void LogRecovering(ILogger logger, string jobId, int epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: a client with the same data and settings attached during epoch {Epoch}")]
    private static partial void LogAttached(ILogger logger, string jobId, int epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: a silo it used is gone (attempt {Attempt} of {Attempts}); starting again from the last checkpoint in {Seconds:F0} s")]
    private static partial void LogSiloLost(ILogger logger, Exception exception, string jobId, int attempt, int attempts, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: cancelled during epoch {Epoch}")]
    private static partial void LogCancelled(ILogger logger, string jobId, int epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the job queue did not answer; asking again")]
    private static partial void LogQueueUnavailable(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: could not renew its job slot; retrying")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: could not give back its job slot; the queue reclaims it when its lease runs out")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string jobId);
}
