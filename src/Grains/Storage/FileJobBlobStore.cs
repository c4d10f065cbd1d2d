using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Grains.Storage;

/// <summary>Job blobs as files: <c>{root}/{jobId}/{name}</c>, replaced atomically (temporary file, then rename).</summary>
public sealed class FileJobBlobStore(string root) : IJobBlobStore
{
    private readonly string _root = Path.GetFullPath(root);

    /// <inheritdoc />
    public string Description => $"files under {_root}";

    /// <inheritdoc />
    public byte[]? Read(string jobId, string name)
    {
        var path = FilePath(jobId, name);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <inheritdoc />
    public byte[] ReadRange(string jobId, string name, long offset, int count)
    {
        using var file = File.OpenRead(FilePath(jobId, name));
        file.Position = offset;
        var buffer = new byte[(int)Math.Max(0, Math.Min(count, file.Length - offset))];
        file.ReadExactly(buffer);
        return buffer;
    }

    /// <inheritdoc />
    public long Length(string jobId, string name)
    {
        var info = new FileInfo(FilePath(jobId, name));
        return info.Exists ? info.Length : -1;
    }

    /// <inheritdoc />
    public void Write(string jobId, string name, byte[] bytes)
    {
        var path = FilePath(jobId, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <inheritdoc />
    public void AppendLine(string jobId, string name, string line)
    {
        var path = FilePath(jobId, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, line + Environment.NewLine);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Names(string jobId)
    {
        var folder = Path.Combine(_root, jobId);
        // Not the temporary files of writes in flight (".name.guid.tmp").
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Select(f => Path.GetFileName(f)).Where(n => !n.StartsWith('.')).ToArray()
            : [];
    }

    /// <inheritdoc />
    public void Delete(string jobId, string name)
    {
        var path = FilePath(jobId, name);
        if (File.Exists(path)) File.Delete(path);
    }

    /// <inheritdoc />
    public string FilePath(string jobId, string name) => Path.Combine(_root, jobId, name);
}
