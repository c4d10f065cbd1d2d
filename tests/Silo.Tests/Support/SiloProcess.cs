using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// The real <c>vaecf-silo</c> program (built beside the tests) run with <c>dotnet</c> as a child process: settings
/// through environment variables, its own free silo, gateway and HTTP ports, its own <c>Storage__Directory</c> and
/// working folder under the temp folder, and its output kept for failure messages. Dispose kills the process tree.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly string _folder;

    /// <summary>Whether the test's settings or arguments set one of the silo's ports (so a port in use may be the test's).</summary>
    private readonly bool _testSetPorts;

    /// <summary>How the silo came to start on other ports than first drawn, for failure messages; empty when it did not.</summary>
    private string _startNote = "";

    /// <summary>How many times a silo is started with fresh ports when a port drawn for it was taken before it could bind it.</summary>
    private const int PortAttempts = 3;

    private SiloProcess(IReadOnlyDictionary<string, string?> settings, IReadOnlyList<string> arguments, int[] ports)
    {
        (SiloPort, GatewayPort, HttpPort) = (ports[0], ports[1], ports[2]);
        string[] portSettings = ["Silo__SiloPort", "Silo__GatewayPort", "Silo__HttpPort"];
        _testSetPorts = settings.Keys.Any(k => portSettings.Contains(k, StringComparer.OrdinalIgnoreCase))
                        || arguments.Any(a => portSettings.Any(p => a.Contains(p.Replace("__", ":", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)));
        _folder = Directory.CreateTempSubdirectory("vaecf-silo-test-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vaecf-silo.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Nothing inherited from the test runner's environment may change the silo's settings.
        foreach (var key in start.Environment.Keys.Where(IsSiloSetting).ToList()) start.Environment.Remove(key);
        start.Environment["Silo__SiloPort"] = SiloPort.ToString();
        start.Environment["Silo__GatewayPort"] = GatewayPort.ToString();
        start.Environment["Silo__HttpPort"] = HttpPort.ToString();
        start.Environment["Silo__AdvertisedAddress"] = "127.0.0.1";
        start.Environment["Storage__Directory"] = Path.Combine(_folder, "jobs");
        start.Environment["Torch__Threads"] = "1";
        start.Environment["VAECF_DEBUG"] = "0";
        foreach (var (key, value) in settings)
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
    }

    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int HttpPort { get; }

    /// <summary>Base address of the health endpoints.</summary>
    public Uri HttpAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>Standard output and error so far, for failure messages.</summary>
    public string Output => $"{_startNote}--- stdout\n{Read(_output)}--- stderr\n{Read(_error)}";

    /// <summary>
    /// Starts a silo with <paramref name="settings"/> (environment variables, e.g. <c>Silo__Clustering</c>; a null
    /// value removes a default) and waits until <c>/health/ready</c> answers 200. A silo that exits because one of its
    /// ports was taken meanwhile is started again on fresh ports (at most <see cref="PortAttempts"/> tries).
    /// </summary>
    public static async Task<SiloProcess> StartReadyAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan timeout, CancellationToken cancellationToken) =>
        await StartUntilAsync(settings, FreePorts.Take(3), "/health/ready", timeout, cancellationToken);

    /// <summary>
    /// Starts a silo with <paramref name="settings"/> and waits until <c>/health/live</c> answers 200 (it may still be
    /// joining its cluster); retried on fresh ports as <see cref="StartReadyAsync"/> is.
    /// </summary>
    public static async Task<SiloProcess> StartLiveAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan timeout, CancellationToken cancellationToken) =>
        await StartUntilAsync(settings, FreePorts.Take(3), "/health/live", timeout, cancellationToken);

    /// <summary>
    /// Starts <paramref name="count"/> silos with the same <paramref name="settings"/> at once and waits until each is ready;
    /// their ports are drawn together, so they never collide with each other. When one fails, the others are stopped
    /// before the failure is rethrown.
    /// </summary>
    public static async Task<SiloProcess[]> StartAllReadyAsync(IReadOnlyDictionary<string, string?> settings, int count, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var ports = FreePorts.Take(3 * count);
        var starting = Enumerable.Range(0, count)
            .Select(i => StartUntilAsync(settings, ports[(3 * i)..(3 * i + 3)], "/health/ready", timeout, cancellationToken)).ToArray();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var task in starting.Where(t => t.IsCompletedSuccessfully)) await task.Result.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a silo with settings in the environment and optional command-line arguments, and returns at once.</summary>
    public static SiloProcess Start(IReadOnlyDictionary<string, string?> settings, params string[] arguments) =>
        Start(settings, arguments, FreePorts.Take(3));

    /// <summary>
    /// Runs a silo that is expected to exit by itself (bad settings) and returns its exit code and output. When it exits
    /// saying that a port drawn for it is in use (taken by another process meanwhile), it runs again on fresh ports.
    /// </summary>
    public static async Task<Result> RunToExitAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan timeout, params string[] arguments)
    {
        for (int attempt = 1; ; attempt++)
        {
            await using var silo = Start(settings, arguments);
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await silo._process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"vaecf-silo did not exit within {timeout}:\n{silo.Output}");
            }
            silo._process.WaitForExit(); // flushes the redirected output
            if (attempt < PortAttempts && silo.OwnPortWasTaken()) continue;
            return new Result(silo._process.ExitCode, Read(silo._output), Read(silo._error));
        }
    }

    private static SiloProcess Start(IReadOnlyDictionary<string, string?> settings, IReadOnlyList<string> arguments, int[] ports)
    {
        var silo = new SiloProcess(settings, arguments, ports);
        silo._process.Start();
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>
    /// Starts a silo on <paramref name="ports"/> and waits until <paramref name="path"/> answers 200; a silo that exits
    /// because one of its ports was taken before it bound it is started again on fresh ports.
    /// </summary>
    private static async Task<SiloProcess> StartUntilAsync(IReadOnlyDictionary<string, string?> settings, int[] ports, string path, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var taken = new StringBuilder();
        for (int attempt = 1; ; attempt++)
        {
            var silo = Start(settings, [], ports);
            try
            {
                await silo.WaitUntilAsync(path, timeout, cancellationToken);
                if (taken.Length > 0) silo._startNote = $"--- test support: started on attempt {attempt}: {taken.ToString().TrimEnd()}\n";
                return silo;
            }
            catch (InvalidOperationException) when (attempt < PortAttempts && silo.OwnPortWasTaken())
            {
                taken.Append(CultureInfo.InvariantCulture, $"one of ports {silo.SiloPort}, {silo.GatewayPort}, {silo.HttpPort} was taken; ");
                await silo.DisposeAsync();
                ports = FreePorts.Take(3);
            }
            catch
            {
                await silo.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>
    /// Whether the silo exited saying that a port is in use, and the port is one drawn for it: named in the message, or
    /// the only kind of port there is when the test set none of the silo's ports itself.
    /// </summary>
    private bool OwnPortWasTaken()
    {
        if (!_process.HasExited) return false;
        string output = Read(_output) + Read(_error);
        if (!FreePorts.IsInUseMessage(output)) return false;
        return !_testSetPorts || new[] { SiloPort, GatewayPort, HttpPort }.Any(p => Regex.IsMatch(output, $"(?<![0-9]){p}(?![0-9])"));
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200; fails with the silo's output if it exits or times out.</summary>
    public async Task WaitUntilAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                // Waits for the end of its redirected output, so the message (and the retry on a taken port) sees all of it.
                await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                throw new InvalidOperationException($"vaecf-silo exited with {_process.ExitCode} before {path} answered 200:\n{Output}");
            }
            // A 200 counts only while this silo runs: a silo that lost its HTTP port to another one exits soon after.
            if (await GetStatusAsync(path, cancellationToken) == HttpStatusCode.OK && !_process.HasExited) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"vaecf-silo: {path} did not answer 200 within {timeout}:\n{Output}");
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>
    /// Waits until the silo's output (standard output or error) holds <paramref name="text"/>, for at most
    /// <paramref name="timeout"/>; returns whether it does. A line arrives through a pipe some time after the silo wrote
    /// it, so a line logged together with a state change may not be there yet when the change is seen.
    /// </summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Read(_output).Contains(text, StringComparison.Ordinal) || Read(_error).Contains(text, StringComparison.Ordinal)) return true;
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The status code of GET <paramref name="path"/>, or null when nothing answers.</summary>
    public async Task<HttpStatusCode?> GetStatusAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(HttpAddress, path), cancellationToken);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        finally
        {
            _process.Dispose();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsSiloSetting(string key) =>
        key.StartsWith("Silo__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Storage__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Torch__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ORLEANS_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("DOTNET_URLS", StringComparison.OrdinalIgnoreCase);

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null) return;
        lock (target) target.AppendLine(line);
    }

    private static string Read(StringBuilder source)
    {
        lock (source) return source.ToString();
    }
}
