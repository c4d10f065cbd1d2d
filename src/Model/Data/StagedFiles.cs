namespace VaeCfCluster.Model.Data;

/// <summary>
/// Files that replace their targets together: each is written in full (and flushed to disk) beside its target under a
/// temporary name, and only <see cref="Commit"/> renames them over the targets, one quick rename each. A failure
/// while writing leaves every target as it was; disposing removes the temporary files not committed.
/// </summary>
internal sealed class StagedFiles(string folder) : IDisposable
{
    private readonly string _folder = Path.GetFullPath(folder);
    private readonly List<(string Temp, string Target)> _staged = [];

    /// <summary>Writes what <paramref name="write"/> puts in the stream to a temporary file for <paramref name="name"/>.</summary>
    public void Write(string name, Action<Stream> write)
    {
        var target = Path.Combine(_folder, name);
        if (Directory.Exists(target)) throw new IOException($"cannot write {target}: it is a folder.");
        var temp = Path.Combine(_folder, $".{name}.{Guid.NewGuid():N}.tmp");
        using var stream = Create(temp, target);
        _staged.Add((temp, target));
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes text lines (LF endings, UTF-8 without BOM) to a temporary file for <paramref name="name"/>.</summary>
    public void WriteLines(string name, Action<TextWriter> write) =>
        Write(name, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        });

    /// <summary>Renames every staged file over its target, in the order they were written.</summary>
    public void Commit()
    {
        while (_staged.Count > 0)
        {
            File.Move(_staged[0].Temp, _staged[0].Target, overwrite: true);
            _staged.RemoveAt(0);
        }
    }

    /// <summary>Removes the temporary files of a write that was not committed.</summary>
    public void Dispose()
    {
        foreach (var (temp, _) in _staged)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        _staged.Clear();
    }

    /// <summary>The temporary file; a folder that takes no new file is named in one line (never the temporary file's name).</summary>
    private FileStream Create(string temp, string target)
    {
        try
        {
            return new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"cannot write {target}: no permission to create files in {_folder}.", e);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException($"cannot write {target}: {_folder} does not take new files.", e);
        }
    }
}
