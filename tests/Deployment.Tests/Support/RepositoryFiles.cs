namespace VaeCfCluster.Deployment.Tests.Support;

/// <summary>Paths of the repository's deployment files, found by walking up to the folder holding VaeCfCluster.sln.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root.</summary>
    public static string Root => s_root.Value;

    /// <summary>A path under the repository root, given with '/' separators.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The text of a file under the repository root.</summary>
    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "VaeCfCluster.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("VaeCfCluster.sln not found above " + AppContext.BaseDirectory);
    }
}
