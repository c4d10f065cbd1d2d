namespace VaeCfCluster.Client.Tests.Reports.Plots;

/// <summary>A fresh temporary folder per test, deleted with everything in it on dispose.</summary>
internal sealed class PlotFolder : IDisposable
{
    public PlotFolder() =>
        Root = Path.Combine(Path.GetTempPath(), "vaecf-plots-" + Guid.NewGuid().ToString("N"));

    public string Root { get; }

    public string File(string name) => Path.Combine(Root, name);

    /// <summary>Every file under the folder (empty when it was never created).</summary>
    public string[] Files() =>
        Directory.Exists(Root) ? Directory.GetFiles(Root, "*", SearchOption.AllDirectories) : [];

    /// <summary>Checks a written plot: a valid PNG of the requested size, 5 KB..2 MB, alone in its folder
    /// (the temporary file was renamed, not left behind).</summary>
    public void AssertSinglePng(string path, int width, int height)
    {
        var png = PngChunks.Read(path);
        Assert.Equal(width, png.Width);
        Assert.Equal(height, png.Height);
        long size = new FileInfo(path).Length;
        Assert.InRange(size, 5 * 1024, 2 * 1024 * 1024);
        Assert.Equal([Path.GetFullPath(path)], Files().Select(Path.GetFullPath).ToArray());
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
