namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// A scratch folder for fuzz inputs, in memory (<c>/dev/shm</c>) where there is one: rewriting a file on this
/// machine's disk costs about a millisecond, fifty times the parse, and the fuzz suite writes 100,000 files.
/// </summary>
internal sealed class FuzzFolder : IDisposable
{
    public FuzzFolder()
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(root, "vaecf-fuzz", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
