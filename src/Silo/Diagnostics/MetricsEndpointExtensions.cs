using OpenTelemetry.Metrics;
using VaeCfCluster.Grains.Diagnostics;

namespace VaeCfCluster.Silo.Diagnostics;

/// <summary>
/// The silo's <c>/metrics</c> endpoint in the Prometheus text format: Orleans's own meter ("Microsoft.Orleans") and
/// the project's (<see cref="MetricNames.Meter"/>), through OpenTelemetry's Prometheus exporter.
/// </summary>
public static class MetricsEndpointExtensions
{
    /// <summary>Path Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Collects Orleans's and VaeCfCluster's instruments for the Prometheus exporter.</summary>
    public static IServiceCollection AddVaeCfMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Microsoft.Orleans", MetricNames.Meter)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Serves <see cref="MetricsPath"/>.</summary>
    public static IEndpointRouteBuilder MapVaeCfMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
        return endpoints;
    }
}
