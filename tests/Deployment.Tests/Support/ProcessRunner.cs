using System.Diagnostics;

namespace VaeCfCluster.Deployment.Tests.Support;

/// <summary>Runs a program to its end and collects its output; finds programs on the PATH.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="program"/> (a path, or a name looked up on the PATH) in <paramref name="workingDirectory"/>;
    /// kills it and throws <see cref="TimeoutException"/> when it runs longer than <paramref name="timeout"/>.
    /// </summary>
    public static ProcessResult Run(string program, string workingDirectory, TimeSpan timeout, IEnumerable<string> args)
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
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} ran longer than {timeout}");
        }
        return new ProcessResult(process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The full path of <paramref name="program"/> in a PATH folder, or null.</summary>
    public static string? FindOnPath(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
