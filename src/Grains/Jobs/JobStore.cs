using System.Text.Json;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Storage;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// What a job keeps in storage that outlives its silo (<see cref="IJobBlobStore"/>): the uploaded split
/// (<c>data.bin</c>), the spec, the status, the resumable checkpoint (the single-process trainer's format), the epoch
/// log and the trained model. Writers that need a file path (checkpoints, models) write a local scratch file that is
/// then stored, unless the store keeps blobs as files anyway.
/// </summary>
public sealed class JobStore
{
    private const string Data = "data.bin", Spec = "spec.json", Status = "status.json", Checkpoint = "checkpoint.vaecf",
        Log = "training.jsonl", Model = "model.vaecf";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly IJobBlobStore _blobs;
    private readonly string _jobId;

    /// <summary>The blobs of job <paramref name="jobId"/> in <paramref name="blobs"/>.</summary>
    public JobStore(IJobBlobStore blobs, string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId) || jobId.IndexOfAny(['/', '\\', ':']) >= 0 || jobId is "." or "..")
            throw new ArgumentException($"Job id '{jobId}' must be a non-empty name without '/', '\\' or ':'.", nameof(jobId));
        _blobs = blobs;
        _jobId = jobId;
    }

    /// <summary>Where the job's blobs live, for logs.</summary>
    public string Description => $"{_blobs.Description} (job {_jobId})";

    /// <summary>True when the split is stored.</summary>
    public bool HasData => _blobs.Length(_jobId, Data) >= 0;

    /// <summary>True when a checkpoint is stored.</summary>
    public bool HasCheckpoint => _blobs.Length(_jobId, Checkpoint) >= 0;

    /// <summary>Length of the stored model, or -1.</summary>
    public long ModelLength => _blobs.Length(_jobId, Model);

    public void SaveData(byte[] bytes) => _blobs.Write(_jobId, Data, bytes);

    public byte[]? LoadData() => _blobs.Read(_jobId, Data);

    public void SaveSpec(TrainingJobSpec spec) => _blobs.Write(_jobId, Spec, JsonSerializer.SerializeToUtf8Bytes(spec, Json));

    /// <summary>The stored spec; null when there is none or it is of an older format without typed settings.</summary>
    public TrainingJobSpec? LoadSpec() => _blobs.Read(_jobId, Spec) is { } bytes ? ParseSpec(bytes) : null;

    /// <summary>A spec from its JSON; null when unreadable, of an older format, or missing a part (corrupted).</summary>
    public static TrainingJobSpec? ParseSpec(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingJobSpec>(json) is
                { Model.HiddenDims: not null, Training: not null, Cluster: not null, DataName: not null, DataSha256: not null } spec
                ? spec
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void SaveStatus(TrainingJobStatus status) => _blobs.Write(_jobId, Status, JsonSerializer.SerializeToUtf8Bytes(status, Json));

    /// <summary>The stored status; null when there is none or it is unreadable (the job then starts as created).</summary>
    public TrainingJobStatus? LoadStatus() => _blobs.Read(_jobId, Status) is { } bytes ? ParseStatus(bytes) : null;

    /// <summary>A status from its JSON; null when unreadable or missing a part (corrupted).</summary>
    public static TrainingJobStatus? ParseStatus(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingJobStatus>(json) is
                { JobId: not null, DataName: not null, Model: not null, History: not null, Test: not null, LastStep: not null, WorkerSilos: not null, ShardSilos: not null } status
                && !status.History.Contains(null!) && status.Test.All(t => t?.Name is not null)
                ? status
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Appends one JSON line to the epoch log.</summary>
    public void AppendLog<T>(T record) => _blobs.AppendLine(_jobId, Log, EpochLog.Line(record));

    /// <summary>Replaces the epoch log with <paramref name="history"/> (on resume: the checkpoint's epochs, each once).</summary>
    public void RewriteLog<T>(IEnumerable<T> history) => _blobs.Write(_jobId, Log, System.Text.Encoding.UTF8.GetBytes(EpochLog.Text(history)));

    /// <summary>Stores a checkpoint written by <paramref name="save"/> to the path it is given.</summary>
    public void SaveCheckpoint(Action<string> save) => SaveThroughFile(Checkpoint, save);

    /// <summary>Gives <paramref name="restore"/> a path holding the stored checkpoint.</summary>
    public T RestoreCheckpoint<T>(Func<string, T> restore) => ReadThroughFile(Checkpoint, restore);

    /// <summary>Stores a model written by <paramref name="save"/> to the path it is given.</summary>
    public void SaveModel(Action<string> save) => SaveThroughFile(Model, save);

    /// <summary>Up to <paramref name="count"/> bytes of the model from <paramref name="offset"/>.</summary>
    public byte[] ReadModel(long offset, int count) => _blobs.ReadRange(_jobId, Model, offset, count);

    /// <summary>Stores an item shard's checkpoint part written by <paramref name="save"/> to the path it is given.</summary>
    public void SavePart(string name, Action<string> save) => SaveThroughFile(RequirePart(name), save);

    /// <summary>Gives <paramref name="read"/> a path holding a stored item shard's checkpoint part.</summary>
    public T ReadPart<T>(string name, Func<string, T> read) => ReadThroughFile(RequirePart(name), read);

    /// <summary>Deletes the item shards' checkpoint parts that <paramref name="keep"/> does not keep.</summary>
    public void DeleteParts(Func<string, bool> keep)
    {
        foreach (var name in _blobs.Names(_jobId).Where(n => ItemShardPart.IsPartName(n) && !keep(n))) _blobs.Delete(_jobId, name);
    }

    /// <summary>Deletes the checkpoint (with any item shards' parts), log and model (a fresh start).</summary>
    public void ClearRun()
    {
        foreach (var name in new[] { Checkpoint, Log, Model }) _blobs.Delete(_jobId, name);
        DeleteParts(_ => false);
    }

    /// <summary>Deletes every blob of the job.</summary>
    public void DeleteAll()
    {
        foreach (var name in new[] { Data, Spec, Status, Checkpoint, Log, Model }) _blobs.Delete(_jobId, name);
        DeleteParts(_ => false);
    }

    private static string RequirePart(string name) =>
        ItemShardPart.IsPartName(name) && name.IndexOfAny(['/', '\\', ':']) < 0 ? name : throw new ArgumentException($"'{name}' is not an item shard part's name.", nameof(name));

    private void SaveThroughFile(string name, Action<string> save)
    {
        if (_blobs.FilePath(_jobId, name) is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            save(path);
            return;
        }
        string scratch = ScratchPath(name);
        try
        {
            save(scratch);
            _blobs.Write(_jobId, name, File.ReadAllBytes(scratch));
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private T ReadThroughFile<T>(string name, Func<string, T> read)
    {
        if (_blobs.FilePath(_jobId, name) is { } path) return read(path);
        string scratch = ScratchPath(name);
        try
        {
            File.WriteAllBytes(scratch, _blobs.Read(_jobId, name) ?? throw new FileNotFoundException($"Job {_jobId} has no {name}."));
            return read(scratch);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private static string ScratchPath(string name) => Path.Combine(Path.GetTempPath(), $"vaecf-{Guid.NewGuid():N}-{name}");
}
