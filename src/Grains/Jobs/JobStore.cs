using System.Text.Json;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// A job's folder under <c>Storage:Directory</c>: the uploaded split (<c>data.bin</c>), the spec, the status, the
/// resumable checkpoint, the epoch log and the trained model. Every file is written atomically, so a silo that dies
/// mid-write leaves the previous version.
/// </summary>
public sealed class JobStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The folder of job <paramref name="jobId"/> under <paramref name="root"/>.</summary>
    public JobStore(string root, string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId) || jobId.IndexOfAny(['/', '\\', ':']) >= 0 || jobId is "." or "..")
            throw new ArgumentException($"Job id '{jobId}' must be a non-empty name without '/', '\\' or ':'.", nameof(jobId));
        Folder = Path.GetFullPath(Path.Combine(root, jobId));
    }

    /// <summary>The job's folder.</summary>
    public string Folder { get; }

    /// <summary>The serialized split.</summary>
    public string DataPath => Path.Combine(Folder, "data.bin");

    /// <summary>The resumable checkpoint (the single-process trainer's format).</summary>
    public string CheckpointPath => Path.Combine(Folder, "checkpoint.vaecf");

    /// <summary>The trained model.</summary>
    public string ModelPath => Path.Combine(Folder, "model.vaecf");

    /// <summary>One JSON line per epoch.</summary>
    public string LogPath => Path.Combine(Folder, "training.jsonl");

    private string SpecPath => Path.Combine(Folder, "spec.json");

    private string StatusPath => Path.Combine(Folder, "status.json");

    /// <summary>Stores the split.</summary>
    public void SaveData(byte[] bytes)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.Write(DataPath, s => s.Write(bytes));
    }

    /// <summary>Stores the spec.</summary>
    public void SaveSpec(TrainingJobSpec spec)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteAllText(SpecPath, JsonSerializer.Serialize(spec, Json));
    }

    /// <summary>The stored spec, or null.</summary>
    public TrainingJobSpec? LoadSpec() =>
        File.Exists(SpecPath) ? JsonSerializer.Deserialize<TrainingJobSpec>(File.ReadAllText(SpecPath)) : null;

    /// <summary>Stores the status.</summary>
    public void SaveStatus(TrainingJobStatus status)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteAllText(StatusPath, JsonSerializer.Serialize(status, Json));
    }

    /// <summary>The stored status, or null.</summary>
    public TrainingJobStatus? LoadStatus() =>
        File.Exists(StatusPath) ? JsonSerializer.Deserialize<TrainingJobStatus>(File.ReadAllText(StatusPath)) : null;

    /// <summary>Appends one line to the epoch log.</summary>
    public void AppendLog<T>(T record)
    {
        Directory.CreateDirectory(Folder);
        File.AppendAllText(LogPath, JsonSerializer.Serialize(record) + Environment.NewLine);
    }

    /// <summary>Deletes the checkpoint, log and model (a fresh start).</summary>
    public void ClearRun()
    {
        if (!Directory.Exists(Folder)) return;
        foreach (var path in new[] { CheckpointPath, LogPath, ModelPath }) File.Delete(path);
    }
}
