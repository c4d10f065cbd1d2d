using System.Net;
using System.Net.Sockets;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// The locally built images the container tests run (<c>docker/build-offline.sh</c> builds both), and whether the
/// engine in <c>DOCKER_HOST</c> has them. Names come from <c>VAECF_IMAGE</c> and <c>VAECF_REDIS_IMAGE</c>.
/// </summary>
internal static class ContainerImages
{
    /// <summary>The vaecf image (silo and client): <c>VAECF_IMAGE</c>, default <c>localhost/vaecf:local</c>.</summary>
    public static string Silo => Environment.GetEnvironmentVariable("VAECF_IMAGE") is { Length: > 0 } name ? name : "localhost/vaecf:local";

    /// <summary>Debian's redis-server: <c>VAECF_REDIS_IMAGE</c>, default <c>localhost/vaecf-redis:local</c>.</summary>
    public static string Redis => Environment.GetEnvironmentVariable("VAECF_REDIS_IMAGE") is { Length: > 0 } name ? name : "localhost/vaecf-redis:local";

    /// <summary>
    /// The images the engine does not have, asked over a <c>unix://</c> <c>DOCKER_HOST</c> (<c>GET /images/NAME/json</c>);
    /// empty when the engine cannot be asked that way (the test then fails on the missing image with the engine's error).
    /// </summary>
    public static IReadOnlyList<string> Missing()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (host is null || !host.StartsWith("unix://", StringComparison.Ordinal)) return [];
        var socket = host["unix://".Length..];
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        }) { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return [.. new[] { Silo, Redis }.Where(image =>
                http.GetAsync($"http://engine/images/{Uri.EscapeDataString(image)}/json").GetAwaiter().GetResult().StatusCode == HttpStatusCode.NotFound)];
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException)
        {
            return [];
        }
    }
}
