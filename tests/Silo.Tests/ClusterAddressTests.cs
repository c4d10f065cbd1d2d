using VaeCfCluster.Client.Cluster;

namespace VaeCfCluster.Silo.Tests;

/// <summary>Parsing of the client's <c>--cluster</c> values.</summary>
public sealed class ClusterAddressTests
{
    [Theory]
    [InlineData("redis://127.0.0.1:6379", "127.0.0.1:6379")]
    [InlineData("redis://redis", "redis:6379")]
    [InlineData("REDIS://cache.internal:7000", "cache.internal:7000")]
    [InlineData("redis://:s3cret@10.0.0.1:7000", "10.0.0.1:7000,password=s3cret")]
    [InlineData("redis://[::1]:6380", "[::1]:6380")]
    public void Parse_RedisUrl_GivesRedisConnectionString(string value, string expected)
    {
        var address = ClusterAddress.Parse(value);
        Assert.True(address.IsRedis);
        Assert.Equal(expected, address.RedisConnectionString);
        Assert.Empty(address.Gateways);
        Assert.Equal(value, address.ToString());
    }

    [Fact]
    public void Parse_GatewayList_GivesGatewaysInOrder()
    {
        var address = ClusterAddress.Parse("127.0.0.1:30000, vaecf-silo:30001,[::1]:30002");
        Assert.False(address.IsRedis);
        Assert.Null(address.RedisConnectionString);
        Assert.Equal(
            new[] { ("127.0.0.1", 30000), ("vaecf-silo", 30001), ("::1", 30002) },
            address.Gateways.Select(g => (g.Host, g.Port)).ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:port")]
    [InlineData("a:1,,b:2")]
    [InlineData("::1:30000")]
    [InlineData("http://127.0.0.1:30000")]
    [InlineData("redis://127.0.0.1:6379/0")]
    [InlineData("bad host:30000")]
    public void Parse_InvalidValue_ThrowsNamingOptionAndValue(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => ClusterAddress.Parse(value));
        Assert.StartsWith($"--cluster '{value}': ", e.Message);
        Assert.EndsWith("Expected redis://HOST:PORT or HOST:PORT[,HOST:PORT...].", e.Message);
    }

    [Fact]
    public async Task ResolveGatewaysAsync_LocalhostName_PrefersIPv4()
    {
        var endpoints = await ClusterAddress.Parse("localhost:30000,10.1.2.3:30001").ResolveGatewaysAsync(CancellationToken.None);
        Assert.Equal(new[] { "127.0.0.1:30000", "10.1.2.3:30001" }, endpoints.Select(e => e.ToString()).ToArray());
    }
}
