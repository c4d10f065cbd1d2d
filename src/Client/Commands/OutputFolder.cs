namespace VaeCfCluster.Client.Commands;

/// <summary>An <c>--out</c> folder, checked before any work: a path that is a file is refused at once, in one line.</summary>
internal static class OutputFolder
{
    /// <summary>Throws when <paramref name="path"/> (null: the command's default) names an existing file.</summary>
    public static void RequireFolder(string? path)
    {
        if (path is not null && File.Exists(path)) throw new ArgumentException($"--out: '{path}' is a file, not a folder.");
    }
}
