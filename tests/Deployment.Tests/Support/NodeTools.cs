using System.Diagnostics;

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
        FindOnPath("node") is null ? "node" : FindOnPath("npm") is null ? "npm" : null;

    /// <summary>Runs <c>node SCRIPT ARGS</c> from the repository root after installing the packages.</summary>
    public static ProcessResult RunScript(string script, params string[] args)
    {
        _ = s_installed.Value;
        return Run("node", RepositoryFiles.Root, TimeSpan.FromMinutes(2), [Path.Combine(ToolsDirectory, script), .. args]);
    }

    private static string Install()
    {
        var stamp = Path.Combine(ToolsDirectory, "node_modules", ".package-lock.json");
        var lockFile = Path.Combine(ToolsDirectory, "package-lock.json");
        if (File.Exists(stamp) && File.GetLastWriteTimeUtc(stamp) >= File.GetLastWriteTimeUtc(lockFile)) return "current";
        var result = Run("npm", ToolsDirectory, TimeSpan.FromMinutes(5), ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"npm ci failed ({result.ExitCode}):\n{result.Output}");
        return "installed";
    }

    private static ProcessResult Run(string program, string workingDirectory, TimeSpan timeout, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(FindOnPath(program) ?? program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran longer than {timeout}");
        }
        return new ProcessResult(process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string? FindOnPath(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
