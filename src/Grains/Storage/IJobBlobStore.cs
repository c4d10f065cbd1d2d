namespace VaeCfCluster.Grains.Storage;

/// <summary>
/// Named blobs per job (the split, spec, status, checkpoint, epoch log, model) in storage that outlives a silo:
/// files on a volume (<see cref="FileJobBlobStore"/>) or Redis (<see cref="RedisJobBlobStore"/>).
/// </summary>
public interface IJobBlobStore
{
    /// <summary>Where the blobs live, for logs.</summary>
    string Description { get; }

    /// <summary>The blob's bytes, or null when it does not exist.</summary>
    byte[]? Read(string jobId, string name);

    /// <summary>Up to <paramref name="count"/> bytes of the blob from <paramref name="offset"/>.</summary>
    byte[] ReadRange(string jobId, string name, long offset, int count);

    /// <summary>The blob's length in bytes, or -1 when it does not exist.</summary>
    long Length(string jobId, string name);

    /// <summary>Replaces the blob as a whole (readers see the old or the new content, never a mix).</summary>
    void Write(string jobId, string name, byte[] bytes);

    /// <summary>Appends a line of text to the blob.</summary>
    void AppendLine(string jobId, string name, string line);

    /// <summary>Deletes the blob if it exists.</summary>
    void Delete(string jobId, string name);

    /// <summary>The names of the job's blobs.</summary>
    IReadOnlyList<string> Names(string jobId);

    /// <summary>A file path holding the blob when the store keeps blobs as files; null otherwise.</summary>
    string? FilePath(string jobId, string name);
}
