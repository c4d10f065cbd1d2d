using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using StackExchange.Redis;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Silo.Hosting;

namespace VaeCfCluster.Silo;

/// <summary>
/// What the silo checks about its settings' names and its surroundings before Orleans starts, so that a typo, a port
/// in use or a Redis that does not answer is one line naming the setting (exit code 2), not a healthy-looking silo on
/// defaults or 80 lines of Orleans start-up errors.
/// </summary>
internal static class StartupChecks
{
    /// <summary>The sections the silo reads and the settings each takes (the properties of the type bound to it).</summary>
    private static readonly (string Section, Type Options)[] Sections =
    [
        (SiloHostingOptions.SectionName, typeof(SiloHostingOptions)), (TlsHostingOptions.SectionName, typeof(TlsHostingOptions)),
        (JobStorageOptions.SectionName, typeof(JobStorageOptions)), (TorchRuntimeOptions.SectionName, typeof(TorchRuntimeOptions)),
        (JobQueueOptions.SectionName, typeof(JobQueueOptions)), (GrainHostingExtensions.MembershipSectionName, typeof(ClusterMembershipOptions)),
    ];

    /// <summary>A setting in one of the silo's sections that no option takes ("Torch:Devise"), or null.</summary>
    public static string? UnknownSetting(IConfiguration configuration)
    {
        foreach (var (section, type) in Sections)
        {
            var known = type.GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToArray();
            foreach (var child in configuration.GetSection(section).GetChildren())
                if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                    return $"unknown setting {section}:{child.Key} (environment {section}__{child.Key}); {section} takes {string.Join(", ", known)}.";
        }
        return null;
    }

    /// <summary>Binds the Membership section as Orleans will, so that a value of the wrong type is one line now.</summary>
    public static void BindMembership(IConfiguration configuration) =>
        configuration.GetSection(GrainHostingExtensions.MembershipSectionName).Bind(new ClusterMembershipOptions());

    /// <summary>A port the silo would listen on that another process holds, or null.</summary>
    public static string? PortInUse(SiloHostingOptions silo)
    {
        var address = silo.ListensOnLoopbackOnly ? IPAddress.Loopback : IPAddress.Any;
        foreach (var (name, port) in new[] { ("SiloPort", silo.SiloPort), ("GatewayPort", silo.GatewayPort), ("HttpPort", silo.HttpPort) })
        {
            var listener = new TcpListener(address, port);
            try
            {
                listener.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return $"{SiloHostingOptions.SectionName}:{name} {port} is in use by another process (another silo on this host needs other ports).";
            }
            finally
            {
                listener.Stop();
            }
        }
        return null;
    }

    /// <summary>A Redis the silo needs (membership or job storage) that does not answer within a few seconds, or null.</summary>
    public static string? RedisUnreachable(SiloHostingOptions silo, JobStorageOptions storage)
    {
        var needed = new List<(string Setting, string Connection)>();
        if (silo.Clustering == ClusteringMode.Redis && silo.RedisConnectionString is { Length: > 0 } membership)
            needed.Add(($"{SiloHostingOptions.SectionName}:{nameof(SiloHostingOptions.RedisConnectionString)}", membership));
        if (storage.Provider == JobStorageProvider.Redis && storage.RedisConnectionString is { Length: > 0 } jobs)
            needed.Add(($"{JobStorageOptions.SectionName}:{nameof(JobStorageOptions.RedisConnectionString)}", jobs));
        foreach (var (setting, connection) in needed)
        {
            // Named by its endpoints only: a connection string may hold a password.
            string where = setting;
            try
            {
                var options = ConfigurationOptions.Parse(connection);
                where = $"{setting} ({string.Join(", ", options.EndPoints)})";
                options.AbortOnConnectFail = true;
                options.ConnectTimeout = Math.Min(options.ConnectTimeout, 5000);
                options.ConnectRetry = 1;
                using var redis = ConnectionMultiplexer.Connect(options);
                redis.GetDatabase().Ping();
            }
            catch (Exception e) when (e is RedisException or ArgumentException)
            {
                return $"{where}: Redis does not answer ({e.Message.Split('.', 2)[0].Trim()}).";
            }
        }
        return null;
    }
}
