namespace VaeCfCluster.Model.Data;

/// <summary>
/// Finds the shared real data sets: <c>VAECF_DATA_DIR</c> when set, otherwise <c>../shared/data</c> beside the
/// repository root (the folder holding <c>VaeCfCluster.sln</c>), found by walking up from the working directory
/// and from the application's base directory.
/// </summary>
public static class DataLocator
{
    /// <summary>Name of the environment variable that points at the data folder.</summary>
    public const string EnvironmentVariable = "VAECF_DATA_DIR";

    /// <summary>The data folder (which may not exist).</summary>
    public static string Root
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "VaeCfCluster.sln")))
                        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                }
            }
            return Path.GetFullPath(Path.Combine("..", "shared", "data"));
        }
    }

    /// <summary>Path of a data set folder (for example <c>ml-100k</c>) under <see cref="Root"/>.</summary>
    public static string DataSet(string name) => Path.Combine(Root, name);
}
