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
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
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
