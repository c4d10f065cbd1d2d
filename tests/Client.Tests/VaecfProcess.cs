using System.Diagnostics;

namespace VaeCfCluster.Client.Tests;

/// <summary>Runs the real <c>vaecf</c> program (built beside the tests) as a child process and captures its output.</summary>
internal static class VaecfProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>The program to run: <c>vaecf.dll</c> beside the tests unless a test assembly points elsewhere.</summary>
    public static string ProgramPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "vaecf.dll");

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, ProgramPath, new Dictionary<string, string>(), args);

    /// <summary>Runs <paramref name="program"/> (a vaecf.dll) with extra environment variables.</summary>
    public static Result Run(string workingDirectory, string program, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(program);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["VAECF_DEBUG"] = "0";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"vaecf {string.Join(' ', args)} did not finish in 5 minutes.");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
