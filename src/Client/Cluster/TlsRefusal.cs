using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using VaeCfCluster.Grains.Hosting;

namespace VaeCfCluster.Client.Cluster;

/// <summary>
/// Tells a TLS refusal from other connection failures, so the client can stop retrying and say which side refused
/// which certificate. With TLS 1.3 the client's handshake completes before the gateway checks the client's
/// certificate; a gateway that refuses it just closes the connection, so "the gateway's certificate was accepted and
/// then the gateway closed the connection, on several attempts" is how a refused client certificate shows.
/// </summary>
internal static class TlsRefusal
{
    /// <summary>Closes right after an accepted handshake taken as a refusal.</summary>
    public const int ClosesMeaningRefusal = 3;

    /// <summary>True when <paramref name="error"/> is the gateway closing a connection it had accepted.</summary>
    public static bool IsClosedByGateway(Exception error) => Chain(error).Any(IsClosed);

    /// <summary>
    /// Which side refused which certificate, when <paramref name="error"/> is a TLS refusal; null otherwise.
    /// <paramref name="closes"/> counts the attempts so far that the gateway closed.
    /// </summary>
    public static string? Describe(TlsCredentials? tls, Exception error, int closes)
    {
        if (tls is null) return null;
        if (tls.LastRejection is { } rejection)
            return $"refused the gateway's certificate: {rejection} (--tls-ca); it is not a silo of the cluster that CA admits.";
        if ((tls.PeersAccepted > 0 && closes >= ClosesMeaningRefusal) || Chain(error).Any(e => e is AuthenticationException))
            return $"the gateway refused this client's certificate '{tls.Certificate.Subject}' issued by '{tls.Certificate.Issuer}' (--tls-cert): " +
                   "it closed every connection after the TLS handshake; the silos accept only certificates issued by their own CA.";
        return null;
    }

    /// <summary>A hint when the gateway closed plain connections, as a TLS-only gateway does; empty otherwise.</summary>
    public static string Hint(TlsCredentials? tls, int closes) =>
        tls is null && closes > 0 ? "; the gateway closed the connection: if the cluster requires TLS, connect with --tls-cert, --tls-key and --tls-ca" : "";

    private static bool IsClosed(Exception e) =>
        e is ConnectionAbortedException or ConnectionResetException
        || e is SocketException { SocketErrorCode: SocketError.ConnectionReset }
        || (e is InvalidOperationException && e.Message.Contains("terminated prematurely", StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException) yield return e;
    }
}
