using Microsoft.Extensions.Logging;

namespace VaeCfCluster.Client.Cluster;

/// <summary>
/// Appends the in-process silo's log lines ("time level category: message", exceptions after them) to one file, so
/// a run on the in-process cluster keeps what its grains said: the plan, each epoch's time split, recoveries.
/// </summary>
internal sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private readonly Lock _lock = new();
    private StreamWriter? _writer;

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private void Write(string line)
    {
        lock (_lock)
        {
            _writer ??= new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            _writer.WriteLine(line);
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            string line = $"{DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}";
            provider.Write(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}
