using System.Diagnostics;
using System.Net;
using System.Text;

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

    private SiloProcess(IReadOnlyDictionary<string, string?> settings, IReadOnlyList<string> arguments)
    {
        var ports = FreePorts.Take(3);
        (SiloPort, GatewayPort, HttpPort) = (ports[0], ports[1], ports[2]);
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
    public string Output => $"--- stdout\n{Read(_output)}--- stderr\n{Read(_error)}";

    /// <summary>
    /// Starts a silo with <paramref name="settings"/> (environment variables, e.g. <c>Silo__Clustering</c>; a null
    /// value removes a default) and waits until <c>/health/ready</c> answers 200.
    /// </summary>
    public static async Task<SiloProcess> StartReadyAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var silo = Start(settings);
        try
        {
            await silo.WaitUntilAsync("/health/ready", timeout, cancellationToken);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="count"/> silos with the same <paramref name="settings"/> at once and waits until each is ready;
    /// when one fails, the others are stopped before the failure is rethrown.
    /// </summary>
    public static async Task<SiloProcess[]> StartAllReadyAsync(IReadOnlyDictionary<string, string?> settings, int count, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var starting = Enumerable.Range(0, count).Select(_ => StartReadyAsync(settings, timeout, cancellationToken)).ToArray();
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
    public static SiloProcess Start(IReadOnlyDictionary<string, string?> settings, params string[] arguments)
    {
        var silo = new SiloProcess(settings, arguments);
        silo._process.Start();
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Runs a silo that is expected to exit by itself (bad settings) and returns its exit code and output.</summary>
    public static async Task<Result> RunToExitAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan timeout, params string[] arguments)
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
        return new Result(silo._process.ExitCode, Read(silo._output), Read(silo._error));
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200; fails with the silo's output if it exits or times out.</summary>
    public async Task WaitUntilAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"vaecf-silo exited with {_process.ExitCode} before {path} answered 200:\n{Output}");
            if (await GetStatusAsync(path, cancellationToken) == HttpStatusCode.OK) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"vaecf-silo: {path} did not answer 200 within {timeout}:\n{Output}");
            await Task.Delay(200, cancellationToken);
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
