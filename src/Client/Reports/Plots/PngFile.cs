namespace VaeCfCluster.Client.Reports.Plots;

/// <summary>
/// Checks an output path and image size, and writes finished PNG bytes so that a reader never sees half a file:
/// the bytes go to a temporary file in the target folder, which then replaces the target in one rename.
/// </summary>
internal static class PngFile
{
    /// <summary>Smallest side accepted; below this the title and tick labels no longer fit.</summary>
    public const int MinSide = 200;

    /// <summary>Largest side accepted; above this one PNG takes hundreds of megabytes of memory to render.</summary>
    public const int MaxSide = 8000;

    /// <summary>Throws ArgumentException naming the argument when the path or the size cannot be used.</summary>
    public static void Validate(string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("The output path is empty.", nameof(path));
        try
        {
            Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"The output path '{path}' is not a valid path: {e.Message}", nameof(path), e);
        }
        if (Directory.Exists(path))
            throw new ArgumentException($"The output path '{path}' is a folder.", nameof(path));
        if (string.IsNullOrEmpty(Path.GetFileName(path)))
            throw new ArgumentException($"The output path '{path}' names no file.", nameof(path));
        if (width is < MinSide or > MaxSide)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"Width must be {MinSide}..{MaxSide} pixels.");
        if (height is < MinSide or > MaxSide)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"Height must be {MinSide}..{MaxSide} pixels.");
    }

    /// <summary>Creates the folder if needed, writes <paramref name="png"/> to a temporary file beside
    /// <paramref name="path"/>, then moves it over <paramref name="path"/> (replacing an older file).</summary>
    public static void WriteAtomically(string path, byte[] png)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, png);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }
}
