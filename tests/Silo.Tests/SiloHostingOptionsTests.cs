using Microsoft.Extensions.Configuration;
using VaeCfCluster.Silo.Hosting;

namespace VaeCfCluster.Silo.Tests;

/// <summary>The silo settings: documented defaults, the shipped appsettings.json, and the validator's messages.</summary>
public sealed class SiloHostingOptionsTests
{
    private static IReadOnlyList<string> Failures(SiloHostingOptions options) =>
        new SiloHostingOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Defaults_NewOptions_AreTheDocumentedValues()
    {
        var o = new SiloHostingOptions();
        Assert.Equal(ClusteringMode.Localhost, o.Clustering);
        Assert.Null(o.RedisConnectionString);
        Assert.Equal("vaecf", o.ClusterId);
        Assert.Equal("vaecf", o.ServiceId);
        Assert.Equal(11111, o.SiloPort);
        Assert.Equal(30000, o.GatewayPort);
        Assert.Equal(8080, o.HttpPort);
        Assert.Null(o.AdvertisedAddress);
        Assert.Null(o.PrimarySiloEndpoint);
        Assert.Empty(Failures(o));
    }

    [Fact]
    public void AppSettings_ShippedSiloSection_EqualsTheDefaults()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false)
            .Build();
        var bound = new SiloHostingOptions { ClusterId = "", ServiceId = "", SiloPort = 0, GatewayPort = 0, HttpPort = 0 };
        configuration.GetSection(SiloHostingOptions.SectionName).Bind(bound);
        var defaults = new SiloHostingOptions();

        Assert.Equal(defaults.Clustering, bound.Clustering);
        Assert.Equal(defaults.ClusterId, bound.ClusterId);
        Assert.Equal(defaults.ServiceId, bound.ServiceId);
        Assert.Equal(defaults.SiloPort, bound.SiloPort);
        Assert.Equal(defaults.GatewayPort, bound.GatewayPort);
        Assert.Equal(defaults.HttpPort, bound.HttpPort);
    }

    [Theory]
    [InlineData(ClusteringMode.Redis)]
    [InlineData(ClusteringMode.Kubernetes)]
    public void Validate_RedisModesWithoutConnectionString_NamesRedisConnectionString(ClusteringMode mode)
    {
        var failure = Assert.Single(Failures(new SiloHostingOptions { Clustering = mode }));
        Assert.StartsWith($"Silo:RedisConnectionString is required when Silo:Clustering is {mode}", failure);
    }

    [Fact]
    public void Validate_RedisModeWithConnectionString_Passes() =>
        Assert.Empty(Failures(new SiloHostingOptions { Clustering = ClusteringMode.Redis, RedisConnectionString = "127.0.0.1:6379" }));

    [Fact]
    public void Validate_UnknownRedisKeyword_NamesRedisConnectionString()
    {
        var failure = Assert.Single(Failures(new SiloHostingOptions { Clustering = ClusteringMode.Redis, RedisConnectionString = "127.0.0.1:6379,colour=blue" }));
        Assert.StartsWith("Silo:RedisConnectionString is not a valid Redis connection string", failure);
    }

    [Fact]
    public void Validate_PrimarySiloEndpointOutsideLocalhostMode_AsksToRemoveIt()
    {
        var failure = Assert.Single(Failures(new SiloHostingOptions
        {
            Clustering = ClusteringMode.Redis, RedisConnectionString = "127.0.0.1:6379", PrimarySiloEndpoint = "127.0.0.1:11111",
        }));
        Assert.StartsWith("Silo:PrimarySiloEndpoint applies only when Silo:Clustering is Localhost", failure);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.1:0", false)]
    [InlineData("127.0.0.1:11111", true)]
    public void Validate_PrimarySiloEndpoint_MustBeIpAndPort(string endpoint, bool valid)
    {
        var failures = Failures(new SiloHostingOptions { PrimarySiloEndpoint = endpoint, SiloPort = 11112 });
        if (valid) Assert.Empty(failures);
        else Assert.StartsWith("Silo:PrimarySiloEndpoint must be IP:PORT", Assert.Single(failures));
    }

    [Fact]
    public void Validate_SamePortTwice_NamesAllThreePortSettings()
    {
        var failure = Assert.Single(Failures(new SiloHostingOptions { GatewayPort = 8080 }));
        Assert.Equal("Silo:SiloPort, Silo:GatewayPort and Silo:HttpPort must be three different ports (were 11111, 8080, 8080).", failure);
    }

    [Theory]
    [InlineData("HttpPort", 70000)]
    [InlineData("GatewayPort", -1)]
    public void Validate_PortOutOfRange_NamesThePort(string setting, int port)
    {
        var o = new SiloHostingOptions();
        typeof(SiloHostingOptions).GetProperty(setting)!.SetValue(o, port);
        Assert.Contains($"Silo:{setting} must be a TCP port from 1 to 65535 (was {port}).", Failures(o));
    }

    [Fact]
    public void Validate_AdvertisedAddressNotAnIp_NamesAdvertisedAddress() =>
        Assert.StartsWith("Silo:AdvertisedAddress must be an IP address", Assert.Single(Failures(new SiloHostingOptions { AdvertisedAddress = "silo-0" })));

    [Theory]
    [InlineData(ClusteringMode.Localhost, null, true)]
    [InlineData(ClusteringMode.Redis, null, false)]
    [InlineData(ClusteringMode.Redis, "127.0.0.1", true)]
    [InlineData(ClusteringMode.Redis, "10.0.0.5", false)]
    [InlineData(ClusteringMode.Kubernetes, null, false)]
    public void ListensOnLoopbackOnly_ModeAndAdvertisedAddress_AsDocumented(ClusteringMode mode, string? advertised, bool expected) =>
        Assert.Equal(expected, new SiloHostingOptions { Clustering = mode, AdvertisedAddress = advertised }.ListensOnLoopbackOnly);
}
