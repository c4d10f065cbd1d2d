namespace VaeCfCluster.Deployment.Tests.Support;

/// <summary>
/// Runs the Node.js scripts in scripts/k8s-validate. The first call installs their packages with <c>npm ci</c> from
/// the committed package-lock.json (once per test run, about 10-20 s; nothing is installed when node_modules is
/// current).
/// </summary>
public static class NodeTools
{
    private static readonly Lazy<string> s_installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Folder of the validation scripts.</summary>
    public static string ToolsDirectory => RepositoryFiles.PathOf("scripts/k8s-validate");

    /// <summary>"node" or "npm" when that program is not on the PATH; otherwise null.</summary>
    public static string? MissingTool() =>
        ProcessRunner.FindOnPath("node") is null ? "node" : ProcessRunner.FindOnPath("npm") is null ? "npm" : null;

    /// <summary>Runs <c>node SCRIPT ARGS</c> from the repository root after installing the packages.</summary>
    public static ProcessResult RunScript(string script, params string[] args)
    {
        _ = s_installed.Value;
        return ProcessRunner.Run("node", RepositoryFiles.Root, TimeSpan.FromMinutes(2), [Path.Combine(ToolsDirectory, script), .. args]);
    }

    private static string Install()
    {
        var stamp = Path.Combine(ToolsDirectory, "node_modules", ".package-lock.json");
        var lockFile = Path.Combine(ToolsDirectory, "package-lock.json");
        if (File.Exists(stamp) && File.GetLastWriteTimeUtc(stamp) >= File.GetLastWriteTimeUtc(lockFile)) return "current";
        var result = ProcessRunner.Run("npm", ToolsDirectory, TimeSpan.FromMinutes(5), ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"npm ci failed ({result.ExitCode}):\n{result.Output}");
        return "installed";
    }
}
