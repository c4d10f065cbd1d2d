namespace VaeCfCluster.Client.Commands;

/// <summary>
/// <c>--fresh</c>: the earlier run's files in an output folder (checkpoint, log, model, metrics) are removed together,
/// and only once the new run is known to start (its options, data and device checked, or its cluster job accepted), so
/// a refused command keeps them all and the folder never mixes a new checkpoint with an old model.
/// </summary>
internal static class FreshRun
{
    /// <summary>Removes those of <paramref name="files"/> that exist in <paramref name="folder"/>, saying which.</summary>
    public static void Clear(string folder, TextWriter log, params string[] files)
    {
        var removed = files.Where(f => File.Exists(Path.Combine(folder, f))).ToArray();
        foreach (var f in removed) File.Delete(Path.Combine(folder, f));
        if (removed.Length > 0) log.WriteLine($"--fresh: removed the earlier run's {string.Join(", ", removed)} from {folder}");
    }
}
