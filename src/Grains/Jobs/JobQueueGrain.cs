using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Storage;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// The cluster's job queue (<see cref="IJobQueueGrain"/>, <see cref="IJobSlotGrain"/>): at most
/// <see cref="JobQueueOptions.MaxConcurrent"/> jobs hold a slot, the rest wait first come, first served. Slots and
/// places are leases (<see cref="JobQueueOptions.SlotLeaseSeconds"/>) kept in the job storage beside the job folders
/// (<c>queue.json</c>), so the queue survives the silo holding it; an expired lease is reclaimed and its job woken.
/// </summary>
public sealed partial class JobQueueGrain(IJobBlobStore blobs, IOptions<JobQueueOptions> options, ILogger<JobQueueGrain> log)
    : Grain, IJobQueueGrain, IJobSlotGrain
{
    /// <summary>The queue's blob: "." is no job id (<see cref="JobStore"/> refuses it), so it names the storage root.</summary>
    private const string Folder = ".", Blob = "queue.json";

    private readonly JobQueueOptions _options = options.Value;
    private QueueState _state = new([], []);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (blobs.Read(Folder, Blob) is { } bytes && JsonSerializer.Deserialize<QueueState>(bytes) is { Running: not null, Queued: not null } state)
                _state = state;
        }
        catch (JsonException)
        {
            // An unreadable queue starts empty; running and waiting jobs take their places again on their next call.
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<JobQueueSnapshot> GetQueueAsync()
    {
        Expire();
        return Task.FromResult(new JobQueueSnapshot(_options.MaxConcurrent, _state.Running.Select(e => e.JobId).ToArray(),
            _state.Queued.Select(e => e.JobId).ToArray()));
    }

    /// <inheritdoc />
    public Task<SlotAnswer> AcquireAsync(string jobId)
    {
        Expire();
        var lease = LeaseEnd();
        if (_state.Running.FindIndex(e => e.JobId == jobId) is var running and >= 0)
        {
            _state.Running[running] = new Entry(jobId, lease);
            return Answer(true, 0);
        }
        int index = _state.Queued.FindIndex(e => e.JobId == jobId);
        if (index < 0)
        {
            _state.Queued.Add(new Entry(jobId, lease));
            index = _state.Queued.Count - 1;
            LogQueued(log, jobId, index + 1);
        }
        else _state.Queued[index] = new Entry(jobId, lease);
        // Slots go to the earliest waiting jobs: this one only when every job before it gets one too (those find it
        // granted when they next ask), so jobs take slots in submission order.
        if (index < _options.MaxConcurrent - _state.Running.Count)
        {
            foreach (var entry in _state.Queued.Take(index + 1).ToArray())
            {
                _state.Queued.Remove(entry);
                _state.Running.Add(entry with { LeaseUntil = lease });
                LogGranted(log, entry.JobId, _state.Running.Count, _options.MaxConcurrent);
            }
            return Answer(true, 0);
        }
        return Answer(false, index + 1);
    }

    /// <inheritdoc />
    public Task RenewAsync(string jobId)
    {
        var lease = LeaseEnd();
        int running = _state.Running.FindIndex(e => e.JobId == jobId);
        if (running >= 0) _state.Running[running] = new Entry(jobId, lease);
        else
        {
            // Reclaimed while the job still ran (its silo stalled past the lease): it runs, so it counts again.
            _state.Queued.RemoveAll(e => e.JobId == jobId);
            _state.Running.Add(new Entry(jobId, lease));
        }
        Save();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReleaseAsync(string jobId)
    {
        if (_state.Running.RemoveAll(e => e.JobId == jobId) + _state.Queued.RemoveAll(e => e.JobId == jobId) > 0)
        {
            LogReleased(log, jobId);
            Save();
        }
        return Task.CompletedTask;
    }

    private Task<SlotAnswer> Answer(bool granted, int position)
    {
        Save();
        return Task.FromResult(new SlotAnswer(granted, position, _options.SlotLeaseSeconds));
    }

    private DateTimeOffset LeaseEnd() => DateTimeOffset.UtcNow.AddSeconds(_options.SlotLeaseSeconds);

    /// <summary>Drops slots and places whose lease ran out and wakes their jobs, which resume and ask again.</summary>
    private void Expire()
    {
        var now = DateTimeOffset.UtcNow;
        var expired = _state.Running.Concat(_state.Queued).Where(e => e.LeaseUntil < now).Select(e => e.JobId).ToArray();
        if (expired.Length == 0) return;
        _state.Running.RemoveAll(e => e.LeaseUntil < now);
        _state.Queued.RemoveAll(e => e.LeaseUntil < now);
        Save();
        foreach (var jobId in expired)
        {
            LogReclaimed(log, jobId);
            GrainFactory.GetGrain<ITrainingJobGrain>(jobId).GetStatusAsync().Ignore();
        }
    }

    /// <summary>Stores the queue; an empty queue leaves no blob behind, so deleting every job empties the storage.</summary>
    private void Save()
    {
        if (_state.Running.Count == 0 && _state.Queued.Count == 0) blobs.Delete(Folder, Blob);
        else blobs.Write(Folder, Blob, JsonSerializer.SerializeToUtf8Bytes(_state));
    }

    /// <summary>The persisted queue: slot holders and waiting jobs, each with its lease end.</summary>
    internal sealed record QueueState(List<Entry> Running, List<Entry> Queued);

    internal sealed record Entry(string JobId, DateTimeOffset LeaseUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: queued at position {Position}")]
    private static partial void LogQueued(ILogger logger, string jobId, int position);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: got a job slot ({Running} of {Max} in use)")]
    private static partial void LogGranted(ILogger logger, string jobId, int running, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: gave back its job slot")]
    private static partial void LogReleased(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: its slot's lease ran out (its silo stopped?); reclaimed the slot and woke the job")]
    private static partial void LogReclaimed(ILogger logger, string jobId);
}
