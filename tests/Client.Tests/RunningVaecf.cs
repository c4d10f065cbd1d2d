using System.Diagnostics;
using System.Text;

namespace VaeCfCluster.Client.Tests;

/// <summary>A <c>vaecf</c> process left running, its standard error collected as it comes.</summary>
internal sealed class RunningVaecf
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private RunningVaecf(Process process) => _process = process;

    /// <summary>Its standard error so far.</summary>
    public string Errors
    {
        get { lock (_errors) return _errors.ToString(); }
    }

    /// <summary>Starts <c>vaecf</c> with <paramref name="args"/> in <paramref name="folder"/>.</summary>
    public static RunningVaecf Start(string folder, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(VaecfProcess.ProgramPath);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["VAECF_DEBUG"] = "0";
        var running = new RunningVaecf(Process.Start(start)!);
        running._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (running._errors) running._errors.AppendLine(e.Data);
        };
        running._process.OutputDataReceived += (_, _) => { };
        running._process.BeginErrorReadLine();
        running._process.BeginOutputReadLine();
        return running;
    }

    /// <summary>Waits (up to 3 minutes) until <paramref name="condition"/> holds; fails if the process ends first.</summary>
    public async Task WaitForAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited) throw new InvalidOperationException($"vaecf exited ({_process.ExitCode}) before {what}: {Errors}");
            if (clock.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"no {what} after 3 minutes: {Errors}");
            await Task.Delay(100);
        }
    }

    /// <summary>Sends SIGTERM (as <c>kill</c> does) and waits for the process to end; returns its exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using (var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2))) await _process.WaitForExitAsync(stop.Token);
        _process.WaitForExit();
        int code = _process.ExitCode;
        _process.Dispose();
        return code;
    }

    /// <summary>Kills the process at once (SIGKILL): nothing of it runs its shutdown.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
