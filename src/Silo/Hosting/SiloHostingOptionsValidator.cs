using System.Net;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VaeCfCluster.Silo.Hosting;

/// <summary>
/// Checks <see cref="SiloHostingOptions"/> before the silo starts. Each failure is one line that names the setting
/// to fix as it is written in configuration ("Silo:RedisConnectionString"), so an operator can act on it directly.
/// </summary>
public sealed class SiloHostingOptionsValidator : IValidateOptions<SiloHostingOptions>
{
    private const string S = SiloHostingOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloHostingOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Clustering))
            failures.Add($"{S}:Clustering must be Localhost, Redis or Kubernetes (was '{options.Clustering}').");

        bool needsRedis = options.Clustering is ClusteringMode.Redis or ClusteringMode.Kubernetes;
        if (needsRedis && string.IsNullOrWhiteSpace(options.RedisConnectionString))
            failures.Add($"{S}:RedisConnectionString is required when {S}:Clustering is {options.Clustering} (e.g. \"127.0.0.1:6379\").");
        else if (needsRedis && ParseRedis(options.RedisConnectionString!) is { } redisProblem)
            failures.Add($"{S}:RedisConnectionString is not a valid Redis connection string: {redisProblem}");

        if (string.IsNullOrWhiteSpace(options.ClusterId)) failures.Add($"{S}:ClusterId must not be empty (default \"{SiloHostingOptions.DefaultId}\").");
        if (string.IsNullOrWhiteSpace(options.ServiceId)) failures.Add($"{S}:ServiceId must not be empty (default \"{SiloHostingOptions.DefaultId}\").");

        CheckPort(failures, "SiloPort", options.SiloPort);
        CheckPort(failures, "GatewayPort", options.GatewayPort);
        CheckPort(failures, "HttpPort", options.HttpPort);
        if (options.SiloPort == options.GatewayPort || options.SiloPort == options.HttpPort || options.GatewayPort == options.HttpPort)
            failures.Add($"{S}:SiloPort, {S}:GatewayPort and {S}:HttpPort must be three different ports (were {options.SiloPort}, {options.GatewayPort}, {options.HttpPort}).");

        if (!string.IsNullOrWhiteSpace(options.AdvertisedAddress) && !IPAddress.TryParse(options.AdvertisedAddress, out _))
            failures.Add($"{S}:AdvertisedAddress must be an IP address such as 10.0.0.5 (was '{options.AdvertisedAddress}').");

        if (!string.IsNullOrWhiteSpace(options.PrimarySiloEndpoint))
        {
            if (options.Clustering != ClusteringMode.Localhost)
                failures.Add($"{S}:PrimarySiloEndpoint applies only when {S}:Clustering is Localhost (it is {options.Clustering}); remove it.");
            else if (!IPEndPoint.TryParse(options.PrimarySiloEndpoint, out var primary) || primary.Port is < 1 or > 65535)
                failures.Add($"{S}:PrimarySiloEndpoint must be IP:PORT such as 127.0.0.1:11111 (was '{options.PrimarySiloEndpoint}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPort(List<string> failures, string setting, int port)
    {
        if (port is < 1 or > 65535) failures.Add($"{S}:{setting} must be a TCP port from 1 to 65535 (was {port}).");
    }

    private static string? ParseRedis(string connectionString)
    {
        try
        {
            var parsed = ConfigurationOptions.Parse(connectionString);
            return parsed.EndPoints.Count == 0 ? "it names no host:port." : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
