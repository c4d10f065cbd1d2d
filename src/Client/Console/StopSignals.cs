using System.Runtime.InteropServices;

namespace VaeCfCluster.Client.Console;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM (what <c>kill</c>, systemd and Kubernetes send) into a cancellation, so a long
/// command stops at a safe point and keeps what it finished instead of dying mid-write. A second signal still stops
/// nothing abruptly; the process ends once the command has unwound.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly ConsoleCancelEventHandler _onCancelKey;
    private readonly PosixSignalRegistration _onTerminate;
    private readonly Action _announce;

    /// <summary>Listens for the signals; <paramref name="announce"/> runs once, on the first one.</summary>
    public StopSignals(Action announce)
    {
        _announce = announce;
        _onCancelKey = (_, e) =>
        {
            e.Cancel = true;
            Stop();
        };
        System.Console.CancelKeyPress += _onCancelKey;
        _onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Stop();
        });
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        System.Console.CancelKeyPress -= _onCancelKey;
        _onTerminate.Dispose();
        _cancellation.Dispose();
    }

    private void Stop()
    {
        if (_cancellation.IsCancellationRequested) return;
        _announce();
        _cancellation.Cancel();
    }
}
