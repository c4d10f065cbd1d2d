namespace VaeCfCluster.Client.Cluster;

/// <summary>
/// No cluster could be reached at a <c>--cluster</c> address: no gateway answered in time, the Redis membership
/// table did not answer, or a host name did not resolve. An <see cref="IOException"/>, so the command line reports
/// it as one line ("error: --cluster 127.0.0.1:30000: no gateway answered within 15 s") like other I/O failures.
/// </summary>
public sealed class ClusterUnavailableException : IOException
{
    /// <summary>Creates the exception with a message that names the <c>--cluster</c> value.</summary>
    public ClusterUnavailableException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
