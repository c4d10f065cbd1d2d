using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace VaeCfCluster.Silo.Hosting;

/// <summary>
/// Turns <see cref="SiloHostingOptions"/> into the Orleans options they govern: cluster ids, endpoints and the
/// Redis membership connection. Registered by <see cref="SiloHostingExtensions.UseVaeCfClustering(ISiloBuilder, SiloHostingOptions)"/>
/// after the mode's own Orleans configuration, so these values win.
/// </summary>
public sealed class SiloHostingConfigurer :
    IConfigureOptions<ClusterOptions>,
    IConfigureOptions<EndpointOptions>,
    IConfigureOptions<RedisClusteringOptions>
{
    private readonly SiloHostingOptions _options;

    /// <summary>Creates the configurer over validated settings.</summary>
    public SiloHostingConfigurer(IOptions<SiloHostingOptions> options) => _options = options.Value;

    /// <inheritdoc />
    public void Configure(ClusterOptions options)
    {
        options.ClusterId = _options.ClusterId;
        options.ServiceId = _options.ServiceId;
        if (_options.Clustering != ClusteringMode.Kubernetes) return;
        // Kubernetes hosting lets ORLEANS_CLUSTER_ID / ORLEANS_SERVICE_ID win; keep that rule whatever the order.
        var clusterId = Environment.GetEnvironmentVariable("ORLEANS_CLUSTER_ID");
        var serviceId = Environment.GetEnvironmentVariable("ORLEANS_SERVICE_ID");
        if (!string.IsNullOrWhiteSpace(clusterId)) options.ClusterId = clusterId;
        if (!string.IsNullOrWhiteSpace(serviceId)) options.ServiceId = serviceId;
    }

    /// <inheritdoc />
    public void Configure(EndpointOptions options)
    {
        options.SiloPort = _options.SiloPort;
        options.GatewayPort = _options.GatewayPort;
        if (IPAddress.TryParse(_options.AdvertisedAddress, out var advertised)) options.AdvertisedIPAddress = advertised;
        else if (_options.Clustering == ClusteringMode.Localhost) options.AdvertisedIPAddress = IPAddress.Loopback;

        var listen = _options.ListensOnLoopbackOnly ? options.AdvertisedIPAddress ?? IPAddress.Loopback : IPAddress.Any;
        options.SiloListeningEndpoint = new IPEndPoint(listen, _options.SiloPort);
        options.GatewayListeningEndpoint = new IPEndPoint(listen, _options.GatewayPort);
    }

    /// <inheritdoc />
    public void Configure(RedisClusteringOptions options)
    {
        if (!string.IsNullOrWhiteSpace(_options.RedisConnectionString))
            options.ConfigurationOptions = ConfigurationOptions.Parse(_options.RedisConnectionString);
    }
}
