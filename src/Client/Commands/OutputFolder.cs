namespace VaeCfCluster.Client.Commands;

/// <summary>
/// An <c>--out</c> folder, checked before any work: a path that is a file, or lies inside one, or where this user cannot
/// write, is refused at once in one line, not after hours of training. Nothing is created by the check.
/// </summary>
internal static class OutputFolder
{
    /// <summary>Throws when <paramref name="path"/> (null: the command's default) cannot be the output folder.</summary>
    public static void RequireFolder(string? path)
    {
        if (path is null) return;
        if (File.Exists(path)) throw new ArgumentException($"--out: '{path}' is a file, not a folder.");
        // The folder, or the nearest folder above it that exists (the rest is created when the command writes).
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing)) throw new ArgumentException($"--out: '{path}' lies inside '{existing}', which is a file.");
            existing = Path.GetDirectoryName(existing) ?? throw new ArgumentException($"--out: '{path}' has no folder that exists above it.");
        }
        var probe = Path.Combine(existing, $".vaecf-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            string reason = e is UnauthorizedAccessException ? "permission denied" : e.Message.Replace($"'{probe}'", "there").TrimEnd('.');
            throw new ArgumentException($"--out: cannot write in '{existing}' ({reason}).");
        }
    }
}
