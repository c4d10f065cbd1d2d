using System.Net;
using System.Net.Sockets;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>Free TCP ports on loopback, chosen by the OS, so every cluster test gets its own port block.</summary>
internal static class FreePorts
{
    /// <summary>Returns <paramref name="count"/> distinct ports that were free a moment ago (all held open together while chosen).</summary>
    public static int[] Take(int count)
    {
        var listeners = new TcpListener[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                listeners[i] = new TcpListener(IPAddress.Loopback, 0);
                listeners[i].Start();
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l?.Stop();
        }
    }

    /// <summary>One free port.</summary>
    public static int Take() => Take(1)[0];
}
