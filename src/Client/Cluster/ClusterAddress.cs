using System.Net;
using System.Net.Sockets;

namespace VaeCfCluster.Client.Cluster;

/// <summary>
/// Where the <c>vaecf</c> client finds a running cluster, as given to <c>--cluster</c>:
/// <list type="bullet">
/// <item><c>redis://HOST:PORT</c> (port defaults to 6379; <c>redis://:PASSWORD@HOST:PORT</c> for a password): read the
/// live gateways from the Redis membership table the silos use. Survives silos coming and going.</item>
/// <item><c>HOST:PORT[,HOST:PORT...]</c>: a fixed list of silo gateways (a silo's gateway port is 30000 by default), e.g. a
/// Kubernetes Service or a local silo. The client needs at least one of them to answer.</item>
/// </list>
/// </summary>
public sealed class ClusterAddress
{
    /// <summary>The command-line option this value comes from; error messages name it.</summary>
    public const string OptionName = "--cluster";

    /// <summary>Port used by <c>redis://HOST</c> without a port.</summary>
    public const int DefaultRedisPort = 6379;

    private ClusterAddress(string text, string? redisConnectionString, IReadOnlyList<DnsEndPoint> gateways)
    {
        Text = text;
        RedisConnectionString = redisConnectionString;
        Gateways = gateways;
    }

    /// <summary>The value as given.</summary>
    public string Text { get; }

    /// <summary>StackExchange.Redis connection string ("host:port[,password=...]") for a redis:// address; else null.</summary>
    public string? RedisConnectionString { get; }

    /// <summary>True for a redis:// address.</summary>
    public bool IsRedis => RedisConnectionString is not null;

    /// <summary>The static gateways of a HOST:PORT list, in the order given; empty for a redis:// address.</summary>
    public IReadOnlyList<DnsEndPoint> Gateways { get; }

    /// <summary>Parses a <c>--cluster</c> value; throws <see cref="ArgumentException"/> naming the option and the value.</summary>
    public static ClusterAddress Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text.Length == 0) throw Invalid(value, "the value is empty");
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase)) return ParseRedis(value, text);
        if (text.Contains("://", StringComparison.Ordinal)) throw Invalid(value, "the only scheme understood is redis://");

        var gateways = new List<DnsEndPoint>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0) throw Invalid(value, "an entry of the list is empty");
            gateways.Add(ParseEndpoint(value, part));
        }
        return new ClusterAddress(text, null, gateways);
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>
    /// Resolves the static gateways to IP endpoints (IPv4 preferred, as silos listen on IPv4). Throws
    /// <see cref="ClusterUnavailableException"/> naming the host that does not resolve.
    /// </summary>
    public async Task<IPEndPoint[]> ResolveGatewaysAsync(CancellationToken cancellationToken)
    {
        var result = new IPEndPoint[Gateways.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var gateway = Gateways[i];
            if (IPAddress.TryParse(gateway.Host, out var ip))
            {
                result[i] = new IPEndPoint(ip, gateway.Port);
                continue;
            }
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(gateway.Host, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new ClusterUnavailableException($"{OptionName} {Text}: cannot resolve host '{gateway.Host}' ({e.Message}).", e);
            }
            if (addresses.Length == 0) throw new ClusterUnavailableException($"{OptionName} {Text}: host '{gateway.Host}' has no address.", null);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
            result[i] = new IPEndPoint(chosen, gateway.Port);
        }
        return result;
    }

    private static ClusterAddress ParseRedis(string value, string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw Invalid(value, "expected redis://HOST:PORT");
        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw Invalid(value, "a redis:// address takes no path or query");
        int port = uri.IsDefaultPort || uri.Port < 0 ? DefaultRedisPort : uri.Port;
        if (port is < 1 or > 65535) throw Invalid(value, $"port {port} is not from 1 to 65535");
        var host = uri.Host.Contains(':') && !uri.Host.StartsWith('[') ? $"[{uri.Host}]" : uri.Host;
        var connection = $"{host}:{port}";
        if (uri.UserInfo.Length > 0)
        {
            var password = Uri.UnescapeDataString(uri.UserInfo[(uri.UserInfo.IndexOf(':') + 1)..]);
            if (password.Length > 0) connection += $",password={password}";
        }
        return new ClusterAddress(text, connection, []);
    }

    private static DnsEndPoint ParseEndpoint(string value, string part)
    {
        string host;
        string? portText;
        if (part.StartsWith('['))
        {
            int close = part.IndexOf(']');
            if (close < 0) throw Invalid(value, $"'{part}' opens '[' without ']'");
            host = part[1..close];
            portText = close + 1 < part.Length && part[close + 1] == ':' ? part[(close + 2)..] : null;
            if (portText is null && close + 1 != part.Length) throw Invalid(value, $"'{part}' is not [IPv6]:PORT");
        }
        else
        {
            int colon = part.LastIndexOf(':');
            if (colon != part.IndexOf(':')) throw Invalid(value, $"'{part}': write an IPv6 address as [ADDRESS]:PORT");
            host = colon < 0 ? part : part[..colon];
            portText = colon < 0 ? null : part[(colon + 1)..];
        }
        if (host.Length == 0 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
            throw Invalid(value, $"'{host}' is not a host name or IP address");
        if (portText is null)
            throw Invalid(value, $"'{part}' has no port (HOST:PORT, e.g. {host}:30000)");
        if (!int.TryParse(portText, out int port) || port is < 1 or > 65535)
            throw Invalid(value, $"'{portText}' is not a port from 1 to 65535");
        return new DnsEndPoint(host, port);
    }

    private static ArgumentException Invalid(string value, string reason) =>
        new($"{OptionName} '{value}': {reason}. Expected redis://HOST:PORT or HOST:PORT[,HOST:PORT...].");
}
