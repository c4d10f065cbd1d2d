namespace VaeCfCluster.Silo.Health;

/// <summary>
/// Kubernetes probes, mapped in every environment: <c>/health/live</c> answers 200 while the process serves HTTP
/// (liveness: restart only a hung process); <c>/health/ready</c> answers 200 while the silo is an active cluster
/// member and 503 before it has joined or once it is leaving (readiness: route clients only to members).
/// </summary>
public static class HealthEndpointExtensions
{
    /// <summary>Path of the liveness probe.</summary>
    public const string LivePath = "/health/live";

    /// <summary>Path of the readiness probe.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary>
    /// Adds the readiness tracker (a silo lifecycle participant) and starts the host's services concurrently:
    /// otherwise the web server would wait for the silo to join, and neither probe would answer (not even liveness)
    /// while a silo waits for its membership table.
    /// </summary>
    public static IServiceCollection AddVaeCfHealth(this IServiceCollection services)
    {
        services.Configure<HostOptions>(static host => host.ServicesStartConcurrently = true);
        services.AddSingleton<SiloReadiness>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(static sp => sp.GetRequiredService<SiloReadiness>());
        return services;
    }

    /// <summary>Maps <see cref="LivePath"/> (always 200 "live") and <see cref="ReadyPath"/> (200 "ready" or 503 "not ready").</summary>
    public static IEndpointRouteBuilder MapVaeCfHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LivePath, static () => Results.Text("live"));
        endpoints.MapGet(ReadyPath, static (SiloReadiness readiness) =>
            readiness.IsReady ? Results.Text("ready") : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }
}
