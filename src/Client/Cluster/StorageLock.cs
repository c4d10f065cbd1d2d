namespace VaeCfCluster.Client.Cluster;

/// <summary>
/// A command's claim on a folder it trains into: an exclusive lock on <c>.lock</c> in the folder, held while the command
/// runs and dropped by the operating system when its process ends, however it ends. The in-process cluster holds one on
/// its job storage, a single-process run on its output folder. A second command on the same folder is refused rather
/// than training the same run beside the first (or <c>--fresh</c> deleting its files), and <c>vaecf status --out</c>
/// can tell a job whose command is gone (interrupted) from one still training.
/// </summary>
internal sealed class StorageLock : IDisposable
{
    private const string FileName = ".lock";
    private readonly FileStream _file;

    private StorageLock(FileStream file) => _file = file;

    /// <summary>
    /// Takes the lock on <paramref name="storage"/> (created if missing). A lock held for a moment only (<see cref="IsHeld"/>
    /// looking) is waited for, up to a second.
    /// </summary>
    /// <exception cref="ArgumentException">Another process holds it.</exception>
    public static StorageLock Acquire(string storage)
    {
        Directory.CreateDirectory(storage);
        var path = Path.Combine(storage, FileName);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            if (TryOpen(path) is { } file) return new StorageLock(file);
            Thread.Sleep(100);
        }
        throw new ArgumentException($"{storage} is in use by another vaecf command (it holds {path}); wait for it or stop it, or give another --out.");
    }

    /// <summary>Whether a running process holds the lock on <paramref name="storage"/>.</summary>
    public static bool IsHeld(string storage)
    {
        var path = Path.Combine(storage, FileName);
        if (!File.Exists(path)) return false;
        using var file = TryOpen(path);
        return file is null;
    }

    private static FileStream? TryOpen(string path)
    {
        try
        {
            // On Linux and macOS .NET takes an advisory flock(LOCK_EX) for FileShare.None; another process's open fails.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
