namespace VaeCfCluster.Model.Data;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content: the data goes to a
/// temporary file in the same folder, is flushed to disk, then replaces the target with one rename.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes whatever <paramref name="write"/> puts in the stream (seekable and readable, so a writer may read back what
    /// it wrote), atomically, creating the folder if needed.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        if (Directory.Exists(fullPath)) throw new IOException($"cannot write {fullPath}: it is a folder.");
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write {fullPath}: its folder {folder} cannot be made (is part of that path a file?).", e);
        }
        var temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = Create(temp, fullPath, folder))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>The temporary file; a folder that takes no new file is named in one line (never the temporary file's name).</summary>
    private static FileStream Create(string temp, string fullPath, string folder)
    {
        try
        {
            return new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"cannot write {fullPath}: no permission to create files in {folder}.", e);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException($"cannot write {fullPath}: {folder} does not take new files.", e);
        }
    }

    /// <summary>Writes a string (UTF-8 without BOM) atomically.</summary>
    public static void WriteAllText(string path, string contents) =>
        Write(path, stream => stream.Write(new System.Text.UTF8Encoding(false).GetBytes(contents)));

    /// <summary>Writes text lines (LF endings, UTF-8 without BOM) atomically.</summary>
    public static void WriteLines(string path, Action<TextWriter> write) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        });
}
