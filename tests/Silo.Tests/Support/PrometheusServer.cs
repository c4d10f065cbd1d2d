using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// A throw-away Prometheus server (Debian's <c>prometheus</c> package) on a free loopback port, scraping one target's
/// <c>/metrics</c> every second, with its data in a temporary folder; killed on dispose.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string ExecutableName = "prometheus";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _folder;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        _folder = folder;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public int Port { get; }

    /// <summary>Its log so far, for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The full path of prometheus on PATH, or null.</summary>
    public static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, ExecutableName))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Starts Prometheus scraping <paramref name="target"/> ("127.0.0.1:PORT") and waits until it is ready. A server
    /// that exits because its port was taken meanwhile ("address already in use") is started again on a fresh port, at
    /// most three times in all.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(string target, CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (int attempt = 1; ; attempt++)
        {
            var server = await LaunchAsync(target, cancellationToken);
            try
            {
                await server.WaitUntilReadyAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (attempt < attempts && server._process.HasExited && FreePorts.IsInUseMessage(server.Output))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Writes the configuration to a fresh folder and starts Prometheus on a free port; returns at once.</summary>
    private static async Task<PrometheusServer> LaunchAsync(string target, CancellationToken cancellationToken)
    {
        var executable = FindExecutable()
            ?? throw new InvalidOperationException($"{ExecutableName} not found on PATH (apt-get install prometheus).");
        var folder = Directory.CreateTempSubdirectory("vaecf-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: vaecf-silo
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target}"]
            """, cancellationToken);
        int port = FreePorts.Take();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var a in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}" })
            start.ArgumentList.Add(a);
        var server = new PrometheusServer(new Process { StartInfo = start }, port, folder);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls <c>/-/ready</c> until it answers with success (at most 30 s); fails with the log if Prometheus exits.</summary>
    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                // Each look briefly: whatever else may listen on a taken port must not stall the wait.
                using var look = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                look.CancelAfter(TimeSpan.FromSeconds(2));
                using var ready = await _http.GetAsync("/-/ready", look.Token);
                if (ready.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
            }
            if (_process.HasExited)
            {
                // Waits for the end of its redirected output, so the message (and the retry on a taken port) sees all of it.
                await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                throw new InvalidOperationException($"Prometheus exited with {_process.ExitCode} before it was ready:\n{Output}");
            }
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"Prometheus did not become ready within 30 s:\n{Output}");
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>The value of an instant query that returns one series, or null when it returns none.</summary>
    public async Task<double?> QueryScalarAsync(string promql, CancellationToken cancellationToken)
    {
        var answer = await QueryAsync(promql, cancellationToken);
        var result = answer.GetProperty("data").GetProperty("result");
        if (result.GetArrayLength() == 0) return null;
        if (result.GetArrayLength() > 1) throw new InvalidOperationException($"'{promql}' returned {result.GetArrayLength()} series: {result}");
        return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>The JSON answer of Prometheus's HTTP query API (<c>/api/v1/query</c>).</summary>
    public async Task<JsonElement> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(promql)}", cancellationToken);
        if (answer.GetProperty("status").GetString() != "success") throw new InvalidOperationException($"'{promql}': {answer}");
        return answer;
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
        _process.Dispose();
        _http.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
