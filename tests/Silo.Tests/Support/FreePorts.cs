using System.Net;
using System.Net.Sockets;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// Free TCP ports on loopback, chosen by the OS, so every cluster test gets its own port block. A port is free when
/// chosen, not when the child process binds it seconds later: another process may take it in between, so the code that
/// starts a server on a taken port retries with fresh ones when the server says its port is in use
/// (<see cref="IsInUseMessage"/>). Within this test process a port is never handed out twice.
/// </summary>
internal static class FreePorts
{
    private static readonly Lock Gate = new();

    /// <summary>Linux's SOL_SOCKET and SO_REUSEADDR.</summary>
    private const int SolSocket = 1, SoReuseAddr = 2;

    /// <summary>Every port handed out so far: the OS may hand a just-closed port out again at once.</summary>
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// Returns <paramref name="count"/> distinct ports that were free a moment ago (all held open together while chosen)
    /// and that this process never handed out before. Take the ports of servers started together in one call, so they
    /// cannot collide with each other.
    /// </summary>
    public static int[] Take(int count)
    {
        lock (Gate)
        {
            var held = new List<TcpListener>();
            try
            {
                var ports = new List<int>(count);
                while (ports.Count < count)
                {
                    // A port handed out before stays open here while the next is chosen, so the OS picks another.
                    if (held.Count >= count + 1000) throw new InvalidOperationException($"No {count} fresh loopback ports after {held.Count} tries.");
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    held.Add(listener);
                    listener.Start();
                    int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                    if (HandedOut.Add(port)) ports.Add(port);
                }
                return [.. ports];
            }
            finally
            {
                foreach (var l in held) l.Stop();
            }
        }
    }

    /// <summary>One free port.</summary>
    public static int Take() => Take(1)[0];

    /// <summary>
    /// A port held bound, without listening, until disposed: a connection to it is refused at once, as to a server that
    /// is down, and no other process can bind it meanwhile (the socket does not share its address), so no server
    /// started later, by this test or another, can answer on it.
    /// </summary>
    public static ReservedPort Reserve()
    {
        lock (Gate)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
                // .NET binds with SO_REUSEADDR on Linux (ExclusiveAddressUse does not change that), and Linux lets another
                // SO_REUSEADDR socket (any .NET listener, redis-server) bind a port whose holder has it set and is not
                // listening. Cleared after the bind, the port cannot be bound by anyone until the socket is closed.
                if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(0));
                HandedOut.Add(port);
                return new ReservedPort(socket, port);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Whether a server's output says it could not listen because its port is taken: the silo's start-up check ("Silo:HttpPort
    /// N is in use by another process"), a late bind by Kestrel, Orleans or Prometheus ("address already in use") or
    /// redis-server ("Address already in use").
    /// </summary>
    public static bool IsInUseMessage(string output) =>
        output.Contains("is in use by another process", StringComparison.Ordinal)
        || output.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>A port from <see cref="Reserve"/>: bound, not listening, until disposed.</summary>
    public sealed class ReservedPort(Socket socket, int port) : IDisposable
    {
        public int Port { get; } = port;

        public void Dispose() => socket.Dispose();
    }
}
