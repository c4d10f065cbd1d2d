using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// A throw-away <c>redis-server</c> on a free loopback port, without persistence
/// (<c>--bind 127.0.0.1 --port PORT --save "" --appendonly no</c>), killed on dispose.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    public const string ExecutableName = "redis-server";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private RedisServer(Process process, int port, StringBuilder output)
    {
        _process = process;
        Port = port;
        _output = output;
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis connection string ("127.0.0.1:PORT").</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The full path of redis-server on PATH, or null.</summary>
    public static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, ExecutableName))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Starts the server and waits until it answers (at most 10 s). A server that exits because its port was taken
    /// meanwhile ("Address already in use") is started again on a fresh port, at most three times in all.
    /// </summary>
    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (int attempt = 1; ; attempt++)
        {
            var server = Start();
            try
            {
                await server.WaitForAnswerAsync(TimeSpan.FromSeconds(10), cancellationToken);
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

    private static RedisServer Start()
    {
        var executable = FindExecutable()
            ?? throw new InvalidOperationException($"{ExecutableName} not found on PATH (apt-get install redis-server).");
        int port = FreePorts.Take();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--bind", "127.0.0.1", "--port", port.ToString(), "--save", "", "--appendonly", "no" })
            start.ArgumentList.Add(a);
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RedisServer(process, port, output);
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
        }
    }

    private async Task WaitForAnswerAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                // Waits for the end of its redirected output, so the message (and the retry on a taken port) sees all of it.
                await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                throw new InvalidOperationException($"redis-server on port {Port} exited with {_process.ExitCode}:\n{Output}");
            }
            if (await AnswersAsItselfAsync(cancellationToken)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"redis-server on port {Port} did not answer INFO as itself within {timeout}:\n{Output}");
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>
    /// Whether the server on <see cref="Port"/> answers and is this process (<c>INFO server</c>'s <c>process_id</c>): a
    /// redis-server that lost the port to another one must not pass for ready because the other answers.
    /// </summary>
    private async Task<bool> AnswersAsItselfAsync(CancellationToken cancellationToken)
    {
        // A listener that takes the connection and never answers (not Redis) must not stall the wait.
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, probe.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("INFO server\r\n"u8.ToArray(), probe.Token);
            // A bulk string: "$LENGTH\r\n" then LENGTH bytes and "\r\n".
            var answer = new StringBuilder();
            var buffer = new byte[4096];
            int total = -1;
            while (total < 0 || answer.Length < total) // ASCII: one character per byte
            {
                int read = await stream.ReadAsync(buffer, probe.Token);
                if (read == 0) return false;
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
                string text = answer.ToString();
                if (total < 0 && text.IndexOf("\r\n", StringComparison.Ordinal) is int end and > 0)
                {
                    if (text[0] != '$' || !int.TryParse(text.AsSpan(1, end - 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out int length))
                        return false; // an error ("-LOADING ...") or not Redis
                    total = end + 2 + length;
                }
            }
            var pid = Regex.Match(answer.ToString(), @"\bprocess_id:([0-9]+)");
            return pid.Success && pid.Groups[1].Value == _process.Id.ToString(CultureInfo.InvariantCulture);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private string Output
    {
        get { lock (_output) return _output.ToString(); }
    }
}
