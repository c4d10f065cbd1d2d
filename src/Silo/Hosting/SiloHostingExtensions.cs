using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;

namespace VaeCfCluster.Silo.Hosting;

/// <summary>Picks how a VaeCfCluster silo joins its cluster: Localhost, Redis or Kubernetes (+ Redis) membership.</summary>
public static class SiloHostingExtensions
{
    /// <summary>
    /// Binds <see cref="SiloHostingOptions"/> from the "Silo" section of <paramref name="configuration"/> and applies
    /// them with <see cref="UseVaeCfClustering(ISiloBuilder, SiloHostingOptions)"/>.
    /// </summary>
    public static ISiloBuilder UseVaeCfClustering(this ISiloBuilder builder, IConfiguration configuration)
    {
        var options = new SiloHostingOptions();
        configuration.GetSection(SiloHostingOptions.SectionName).Bind(options);
        return builder.UseVaeCfClustering(options);
    }

    /// <summary>
    /// Validates <paramref name="options"/> (throws <see cref="OptionsValidationException"/> listing every setting to
    /// fix), then configures membership for <see cref="SiloHostingOptions.Clustering"/>, the cluster ids and the
    /// endpoints. The mode is chosen now, while the silo is being built, so the options are not re-read later.
    /// </summary>
    public static ISiloBuilder UseVaeCfClustering(this ISiloBuilder builder, SiloHostingOptions options)
    {
        var result = new SiloHostingOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
            throw new OptionsValidationException(Options.DefaultName, typeof(SiloHostingOptions), result.Failures);

        switch (options.Clustering)
        {
            case ClusteringMode.Localhost:
                var primary = string.IsNullOrWhiteSpace(options.PrimarySiloEndpoint) ? null : IPEndPoint.Parse(options.PrimarySiloEndpoint);
                builder.UseLocalhostClustering(options.SiloPort, options.GatewayPort, primary, options.ServiceId, options.ClusterId);
                break;
            case ClusteringMode.Redis:
                builder.UseRedisClustering(static _ => { });
                break;
            case ClusteringMode.Kubernetes:
                builder.UseKubernetesHosting();
                builder.UseRedisClustering(static _ => { });
                break;
        }

        var services = builder.Services;
        services.TryAddSingleton(Options.Create(options));
        services.AddSingleton<SiloHostingConfigurer>();
        services.AddSingleton<IConfigureOptions<ClusterOptions>>(sp => sp.GetRequiredService<SiloHostingConfigurer>());
        services.AddSingleton<IConfigureOptions<EndpointOptions>>(sp => sp.GetRequiredService<SiloHostingConfigurer>());
        services.AddSingleton<IConfigureOptions<RedisClusteringOptions>>(sp => sp.GetRequiredService<SiloHostingConfigurer>());
        return builder;
    }
}
