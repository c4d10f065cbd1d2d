namespace VaeCfCluster.Deployment.Tests.Support;

/// <summary>A copy of helm/vaecf in a temporary folder named "vaecf" (so generated headers match), deleted on dispose.</summary>
public sealed class TemporaryChart : IDisposable
{
    private readonly string _parent;

    private TemporaryChart(string parent, string directory)
    {
        _parent = parent;
        Directory = directory;
    }

    /// <summary>The copied chart folder.</summary>
    public string Directory { get; }

    /// <summary>Copies helm/vaecf with all its files.</summary>
    public static TemporaryChart Copy()
    {
        var parent = Path.Combine(Path.GetTempPath(), $"vaecf-chart-{Guid.NewGuid():N}");
        var target = Path.Combine(parent, "vaecf");
        var source = RepositoryFiles.PathOf("helm/vaecf");
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return new TemporaryChart(parent, target);
    }

    public void Dispose() => System.IO.Directory.Delete(_parent, recursive: true);
}
