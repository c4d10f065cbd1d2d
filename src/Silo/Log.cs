using VaeCfCluster.Silo.Hosting;

namespace VaeCfCluster.Silo;

/// <summary>The silo host's log messages, one source-generated method each.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information,
        "Starting silo: clustering {Clustering}{MembershipDetail}, cluster {ClusterId}, service {ServiceId}, silo port {SiloPort}, gateway port {GatewayPort}, HTTP port {HttpPort}, listening on {ListenScope}, storage {StorageDirectory}")]
    public static partial void Starting(ILogger logger, ClusteringMode clustering, string membershipDetail, string clusterId,
        string serviceId, int siloPort, int gatewayPort, int httpPort, string listenScope, string storageDirectory);

    [LoggerMessage(2, LogLevel.Information, "Silo {SiloAddress} joined cluster {ClusterId} and is ready")]
    public static partial void Ready(ILogger logger, string siloAddress, string clusterId);

    [LoggerMessage(3, LogLevel.Information, "Silo {SiloAddress} is leaving the cluster")]
    public static partial void Leaving(ILogger logger, string siloAddress);

    [LoggerMessage(4, LogLevel.Warning, "TLS: refused a peer: {Reason}")]
    public static partial void PeerRefused(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Information, "TLS: mutual TLS on the silo and gateway ports with certificate {Subject} (expires {NotAfter:u}), peers must chain to the CA in {CaPath}")]
    public static partial void TlsEnabled(ILogger logger, string subject, DateTime notAfter, string caPath);
}
