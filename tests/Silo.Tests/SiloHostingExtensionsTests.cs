using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using Orleans.Runtime;
using VaeCfCluster.Silo.Hosting;

namespace VaeCfCluster.Silo.Tests;

/// <summary>What <c>UseVaeCfClustering</c> configures in each mode, read from a built (never started) silo host.</summary>
public sealed class SiloHostingExtensionsTests
{
    private static IHost Build(SiloHostingOptions options)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleans(silo => silo.UseVaeCfClustering(options));
        return builder.Build();
    }

    [Fact]
    public void UseVaeCfClustering_RedisMode_ConfiguresIdsEndpointsAndRedisMembership()
    {
        using var host = Build(new SiloHostingOptions
        {
            Clustering = ClusteringMode.Redis, RedisConnectionString = "127.0.0.1:6390", ClusterId = "c1", ServiceId = "s1",
            SiloPort = 12001, GatewayPort = 12002, HttpPort = 12003, AdvertisedAddress = "10.0.0.5",
        });

        var cluster = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal(("c1", "s1"), (cluster.ClusterId, cluster.ServiceId));
        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Parse("10.0.0.5"), endpoints.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 12001), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 12002), endpoints.GatewayListeningEndpoint);
        var redis = host.Services.GetRequiredService<IOptions<RedisClusteringOptions>>().Value;
        Assert.Equal("127.0.0.1:6390", Assert.Single(redis.ConfigurationOptions!.EndPoints).ToString());
        Assert.Equal("RedisMembershipTable", host.Services.GetRequiredService<IMembershipTable>().GetType().Name);
    }

    [Fact]
    public void UseVaeCfClustering_LocalhostMode_ListensOnLoopbackWithDevelopmentMembership()
    {
        using var host = Build(new SiloHostingOptions { SiloPort = 12011, GatewayPort = 12012, HttpPort = 12013 });

        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 12011), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 12012), endpoints.GatewayListeningEndpoint);
        Assert.Equal("vaecf", host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId);
        Assert.NotEqual("RedisMembershipTable", host.Services.GetService<IMembershipTable>()?.GetType().Name);
    }

    [Fact]
    public void UseVaeCfClustering_KubernetesMode_AddsKubernetesHostingAndRedisMembership()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleans(silo => silo.UseVaeCfClustering(new SiloHostingOptions
        {
            Clustering = ClusteringMode.Kubernetes, RedisConnectionString = "redis:6379",
        }));

        Assert.Contains(builder.Services, d => d.ImplementationType?.Name == "KubernetesClusterAgent");
        using var host = builder.Build();
        Assert.Equal("RedisMembershipTable", host.Services.GetRequiredService<IMembershipTable>().GetType().Name);
    }

    [Fact]
    public void UseVaeCfClustering_InvalidOptions_ThrowsListingEverySettingToFix()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Build(new SiloHostingOptions { Clustering = ClusteringMode.Redis, SiloPort = 0 }));
        Assert.Equal(2, e.Failures.Count());
        Assert.Contains(e.Failures, f => f.StartsWith("Silo:RedisConnectionString", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("Silo:SiloPort", StringComparison.Ordinal));
    }
}
